package io.kubecdk.spec;

/**
 * What Kubernetes the nodes install and how pods and services are addressed.
 *
 * @param version the exact Kubernetes version of kubeadm, kubelet and kubectl, e.g. {@code 1.34.1}
 * @param podNetwork the CNI plugin
 * @param podCidr the pod IP range; must not overlap the VPC or the service range
 * @param serviceCidr the service IP range
 */
public record KubernetesSpec(String version, PodNetwork podNetwork, String podCidr, String serviceCidr) {

    /** @return a builder with every default set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the Kubernetes settings of a builder left at its defaults */
    public static KubernetesSpec defaults() {
        return builder().build();
    }

    /** @return the package channel of the version, e.g. {@code v1.34} for {@code 1.34.1} */
    public String release() {
        String[] parts = version.split("\\.");
        return parts.length < 2 ? "v" + version : "v" + parts[0] + "." + parts[1];
    }

    /** Builds a {@link KubernetesSpec}. */
    public static final class Builder {
        private String version = "1.34.1";
        private PodNetwork podNetwork = PodNetwork.CALICO;
        private String podCidr = "192.168.0.0/16";
        private String serviceCidr = "10.96.0.0/12";

        private Builder() { }

        /** Exact Kubernetes version (major.minor.patch) of kubeadm, kubelet and kubectl. @default 1.34.1 */
        public Builder version(String version) { this.version = version; return this; }

        /** The pod network plugin; it decides the node-to-node ports opened. @default CALICO */
        public Builder podNetwork(PodNetwork podNetwork) { this.podNetwork = podNetwork; return this; }

        /** Pod IP range, not overlapping the VPC or the services. @default 192.168.0.0/16 */
        public Builder podCidr(String podCidr) { this.podCidr = podCidr; return this; }

        /** Service IP range. @default 10.96.0.0/12 (kubeadm's own default) */
        public Builder serviceCidr(String serviceCidr) { this.serviceCidr = serviceCidr; return this; }

        /** @return the Kubernetes spec (validated as part of {@link ClusterSpec}) */
        public KubernetesSpec build() {
            return new KubernetesSpec(version, podNetwork, podCidr, serviceCidr);
        }
    }
}
