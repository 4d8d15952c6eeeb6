package io.kubecdk.spec;

/**
 * The existing public hosted zone, if any, that gets a {@code master.<env>.<domain>} record. The
 * private zone {@code <env>.kube} is always created.
 *
 * @param publicZoneId id of an existing public hosted zone, or {@code null}
 * @param publicDomain that zone's domain name, or {@code null}
 */
public record DnsSpec(String publicZoneId, String publicDomain) {

    /** @return no public zone: only the private zone is made */
    public static DnsSpec privateOnly() {
        return new DnsSpec(null, null);
    }

    /**
     * @param zoneId the hosted zone id, e.g. Z0123456789ABCDEFGHIJ
     * @param domain the zone's domain, e.g. example.com
     * @return a spec that adds {@code master.<env>.<domain>} to that zone
     */
    public static DnsSpec publicZone(String zoneId, String domain) {
        return new DnsSpec(zoneId, domain);
    }

    /** @return whether a public zone is named */
    public boolean hasPublicZone() {
        return publicZoneId != null || publicDomain != null;
    }
}
