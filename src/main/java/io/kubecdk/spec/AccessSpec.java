package io.kubecdk.spec;

import java.util.List;

/**
 * How operators reach the nodes. SSM Session Manager always works; SSH is closed unless CIDRs are given.
 *
 * @param sshCidrs networks allowed to SSH (port 22) to the nodes
 * @param allowSshFromAnywhere must be set to accept 0.0.0.0/0 or ::/0 among {@code sshCidrs}
 */
public record AccessSpec(List<String> sshCidrs, boolean allowSshFromAnywhere) {

    /** Canonicalizes the list. */
    public AccessSpec {
        sshCidrs = List.copyOf(sshCidrs);
    }

    /** @return no SSH at all; Session Manager only */
    public static AccessSpec sessionManagerOnly() {
        return new AccessSpec(List.of(), false);
    }

    /**
     * @param cidrs operator networks allowed on port 22
     * @return access with SSH from those networks
     */
    public static AccessSpec ssh(List<String> cidrs) {
        return new AccessSpec(cidrs, false);
    }
}
