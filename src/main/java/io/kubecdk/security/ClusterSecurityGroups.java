package io.kubecdk.security;

import io.kubecdk.spec.AccessSpec;
import io.kubecdk.spec.MasterSpec;
import io.kubecdk.spec.PodNetwork;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ec2.IPeer;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The four security groups of a cluster and exactly the rules Kubernetes needs between them:
 * <ul>
 *   <li>API load balancer: 6443 from the VPC and the spec's API networks; it may only reach the masters on 6443.</li>
 *   <li>Masters: 6443 from the load balancer and the VPC; etcd 2379-2380 among masters only.</li>
 *   <li>Every node: kubelet 10250 from every node (the API server and metrics-server reach it), and the
 *       pod network's data-plane ports from every node.</li>
 *   <li>Minions: NodePorts 30000-32767 from load-balancer minions.</li>
 *   <li>Load-balancer minions: HTTP and HTTPS from anywhere.</li>
 *   <li>SSH 22 on the nodes only from the spec's operator networks (none by default: Session Manager is the way in).</li>
 * </ul>
 * Nodes may connect out anywhere (images, packages, AWS APIs); nothing else is open.
 */
public class ClusterSecurityGroups extends Construct {
    /** The Kubernetes API port. */
    public static final int API_PORT = 6443;
    /** The kubelet API port. */
    public static final int KUBELET_PORT = 10250;
    /** HTTP on the load-balancer minions. */
    public static final int HTTP_PORT = 80;
    /** HTTPS on the load-balancer minions. */
    public static final int HTTPS_PORT = 443;
    /** SSH on the nodes. */
    public static final int SSH_PORT = 22;

    private final String vpcCidr;
    private final SecurityGroup apiLoadBalancer;
    private final SecurityGroup master;
    private final SecurityGroup minion;
    private final SecurityGroup loadBalancerMinion;

    /**
     * @param scope the parent
     * @param id the construct id
     * @param vpc the cluster's VPC
     * @param masterSpec the master (public API and API networks)
     * @param podNetwork the pod network, whose ports open among nodes
     * @param access operator SSH networks
     */
    public ClusterSecurityGroups(Construct scope, String id, IVpc vpc, MasterSpec masterSpec, PodNetwork podNetwork,
                                 AccessSpec access) {
        this(scope, id, vpc, null, masterSpec, podNetwork, access);
    }

    /**
     * @param scope the parent
     * @param id the construct id
     * @param vpc the cluster's VPC
     * @param vpcCidr the VPC's IPv4 CIDR when known at synthesis (the cluster's own VPC), so rules and rule
     *                checkers see a literal; {@code null} to use the VPC's {@code CidrBlock} attribute
     * @param masterSpec the master (public API and API networks)
     * @param podNetwork the pod network, whose ports open among nodes
     * @param access operator SSH networks
     */
    public ClusterSecurityGroups(Construct scope, String id, IVpc vpc, String vpcCidr, MasterSpec masterSpec,
                                 PodNetwork podNetwork, AccessSpec access) {
        super(scope, id);
        Objects.requireNonNull(vpc, "vpc is required");
        this.vpcCidr = vpcCidr != null ? vpcCidr : vpc.getVpcCidrBlock();
        this.apiLoadBalancer = group("ApiLoadBalancer", vpc, "Kubernetes API load balancer", false);
        this.master = group("Master", vpc, "Kubernetes masters", true);
        this.minion = group("Minion", vpc, "Kubernetes minions", true);
        this.loadBalancerMinion = group("LoadBalancerMinion", vpc, "Kubernetes load-balancer minions", true);
        allowApi(masterSpec);
        allowEtcd();
        allowAmongNodes(podNetwork);
        allowNodePorts();
        allowWebToLoadBalancerMinions();
        allowSsh(access);
        suppressNagFindings(masterSpec);
    }

    /** @return the API load balancer's group */
    public SecurityGroup getApiLoadBalancer() {
        return apiLoadBalancer;
    }

    /** @return the masters' group */
    public SecurityGroup getMaster() {
        return master;
    }

    /** @return the worker minions' group */
    public SecurityGroup getMinion() {
        return minion;
    }

    /** @return the load-balancer minions' group */
    public SecurityGroup getLoadBalancerMinion() {
        return loadBalancerMinion;
    }

    /** @return every node group: master, minion, load-balancer minion */
    public List<SecurityGroup> nodeGroups() {
        return List.of(master, minion, loadBalancerMinion);
    }

    private SecurityGroup group(String id, IVpc vpc, String description, boolean allowAllOutbound) {
        return SecurityGroup.Builder.create(this, id).vpc(vpc).description(description)
                .allowAllOutbound(allowAllOutbound).build();
    }

    private void allowApi(MasterSpec spec) {
        Port api = Port.tcp(API_PORT);
        apiLoadBalancer.addIngressRule(Peer.ipv4(vpcCidr), api, "Kubernetes API from the VPC");
        for (String cidr : spec.apiAccessCidrs()) {
            apiLoadBalancer.addIngressRule(Peer.ipv4(cidr), api, "Kubernetes API from " + cidr);
        }
        apiLoadBalancer.getConnections().allowTo(master, api, "Kubernetes API and health checks to masters");
        master.addIngressRule(Peer.ipv4(vpcCidr), api, "Kubernetes API from the VPC");
    }

    private void allowEtcd() {
        master.addIngressRule(master, Port.tcpRange(2379, 2380), "etcd among masters");
    }

    private void allowAmongNodes(PodNetwork podNetwork) {
        // Ports are made once: each is a round trip to the CDK's JavaScript runtime.
        Map<Port, String> ports = new LinkedHashMap<>();
        ports.put(Port.tcp(KUBELET_PORT), "kubelet API");
        for (PodNetwork.NodePort p : podNetwork.dataPlanePorts()) {
            ports.put(p.protocol() == PodNetwork.Protocol.TCP ? Port.tcp(p.port()) : Port.udp(p.port()), p.description());
        }
        for (SecurityGroup to : nodeGroups()) {
            for (SecurityGroup from : nodeGroups()) {
                ports.forEach((port, description) -> to.addIngressRule(from, port, description));
            }
        }
    }

    private void allowNodePorts() {
        minion.addIngressRule(loadBalancerMinion, Port.tcpRange(30000, 32767), "NodePorts from load-balancer minions");
    }

    private void allowWebToLoadBalancerMinions() {
        loadBalancerMinion.addIngressRule(Peer.anyIpv4(), Port.tcp(HTTP_PORT), "HTTP from the internet");
        loadBalancerMinion.addIngressRule(Peer.anyIpv4(), Port.tcp(HTTPS_PORT), "HTTPS from the internet");
    }

    /**
     * cdk-nag findings that are the design, suppressed here beside the groups they concern.
     */
    private void suppressNagFindings(MasterSpec spec) {
        NagSuppression.addTo(loadBalancerMinion, false, NagSuppression.of("AwsSolutions-EC23",
                "Load-balancer minions are the cluster's public ingress: they serve HTTP 80 and HTTPS 443 to "
                        + "the internet by design, and only those two ports are open to 0.0.0.0/0."));
        boolean apiFromAnywhere = spec.apiAccessCidrs().stream().anyMatch(c -> c.equals("0.0.0.0/0") || c.equals("::/0"));
        if (apiFromAnywhere) {
            NagSuppression.addTo(apiLoadBalancer, false, NagSuppression.of("AwsSolutions-EC23",
                    "master.publicApi is on without master.apiAccessCidrs, so the Kubernetes API port 6443 "
                            + "(and only it) is open to the internet on the API load balancer; the API server "
                            + "authenticates every request (client certificates or tokens). Set "
                            + "master.apiAccessCidrs to narrow it."));
        }
        if (Token.isUnresolved(vpcCidr)) {
            NagSuppression unresolved = NagSuppression.of("CdkNagValidationFailure",
                    "AwsSolutions-EC23 cannot evaluate an ingress whose source is the CIDR attribute of a VPC "
                            + "given to the cluster (a token until deployment). That source is the VPC's own range, "
                            + "never 0.0.0.0/0; ClusterSecurityRules (Kubecdk-PublicIngress) checks every other "
                            + "source of these groups.")
                    .appliesTo("AwsSolutions-EC23");
            NagSuppression.addTo(apiLoadBalancer, false, unresolved);
            NagSuppression.addTo(master, false, unresolved);
        }
    }

    private void allowSsh(AccessSpec access) {
        for (String cidr : access.sshCidrs()) {
            IPeer peer = cidr.contains(":") ? Peer.ipv6(cidr) : Peer.ipv4(cidr);
            for (SecurityGroup node : nodeGroups()) {
                node.addIngressRule(peer, Port.tcp(SSH_PORT), "SSH from operators " + cidr);
            }
        }
        if (access.allowSshFromAnywhere()
                && access.sshCidrs().stream().anyMatch(c -> c.equals("0.0.0.0/0") || c.equals("::/0"))) {
            for (SecurityGroup node : nodeGroups()) {
                NagSuppression.addTo(node, false, NagSuppression.of("AwsSolutions-EC23",
                        "The environment opens SSH to the internet and acknowledges it with "
                                + "access.allowSshFromAnywhere; without that flag the spec is rejected."));
            }
        }
    }
}
