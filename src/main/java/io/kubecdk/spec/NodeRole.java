package io.kubecdk.spec;

import java.util.Locale;

/** The role of a minion group: where its nodes live and what they may do. */
public enum NodeRole {
    /** Ordinary workers in the private subnets. */
    WORKER,
    /**
     * Ingress nodes in the public subnets that claim Elastic IPs from their group's pool and accept
     * HTTP and HTTPS from the internet.
     */
    LOADBALANCER;

    /** @return the lower-case name used in configuration, tags and node labels */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
