package io.kubecdk.spec;

import java.util.List;

/**
 * The pod network (CNI plugin) a cluster runs, with the node-to-node ports its data plane needs.
 *
 * <p>Security groups open exactly these ports among cluster nodes, so the choice of plugin is also a
 * choice of firewall rules.
 */
public enum PodNetwork {
    /** Calico in VXLAN mode: UDP 4789 for VXLAN, TCP 5473 for Typha. */
    CALICO(List.of(new NodePort(Protocol.UDP, 4789, "Calico VXLAN"), new NodePort(Protocol.TCP, 5473, "Calico Typha"))),
    /** Flannel with its VXLAN backend: UDP 8472. */
    FLANNEL(List.of(new NodePort(Protocol.UDP, 8472, "Flannel VXLAN"))),
    /** Cilium with VXLAN tunnelling: UDP 8472, TCP 4240 for health checks. */
    CILIUM(List.of(new NodePort(Protocol.UDP, 8472, "Cilium VXLAN"), new NodePort(Protocol.TCP, 4240, "Cilium health")));

    private final List<NodePort> dataPlanePorts;

    PodNetwork(List<NodePort> dataPlanePorts) {
        this.dataPlanePorts = dataPlanePorts;
    }

    /** @return the ports every node must accept from every other node for pod traffic */
    public List<NodePort> dataPlanePorts() {
        return dataPlanePorts;
    }

    /** @return the lower-case name used in configuration and on nodes, e.g. {@code calico} */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A transport protocol of a {@link NodePort}. */
    public enum Protocol { TCP, UDP }

    /**
     * One port a pod network needs open between nodes.
     *
     * @param protocol TCP or UDP
     * @param port the port number
     * @param description what uses it, written into the security-group rule
     */
    public record NodePort(Protocol protocol, int port, String description) { }
}
