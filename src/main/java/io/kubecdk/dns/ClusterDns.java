package io.kubecdk.dns;

import io.kubecdk.spec.DnsSpec;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.elasticloadbalancingv2.INetworkLoadBalancer;
import software.amazon.awscdk.services.route53.ARecord;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.route53.PrivateHostedZone;
import software.amazon.awscdk.services.route53.RecordTarget;
import software.amazon.awscdk.services.route53.targets.LoadBalancerTarget;
import software.constructs.Construct;

import java.util.Objects;
import java.util.Optional;

/**
 * The cluster's names: a private hosted zone {@code <env>.kube} on the VPC, where nodes register
 * themselves and {@code master.<env>.kube} points at the API load balancer, and, when the spec names
 * an existing public zone, {@code master.<env>.<domain>} there.
 */
public class ClusterDns extends Construct {
    private final String environment;
    private final DnsSpec spec;
    private final PrivateHostedZone privateZone;

    /**
     * @param scope the parent
     * @param id the construct id
     * @param environment the environment's name
     * @param vpc the VPC the private zone serves
     * @param spec the public zone, if any
     */
    public ClusterDns(Construct scope, String id, String environment, IVpc vpc, DnsSpec spec) {
        super(scope, id);
        this.environment = Objects.requireNonNull(environment, "environment is required");
        this.spec = Objects.requireNonNull(spec, "spec is required");
        this.privateZone = PrivateHostedZone.Builder.create(this, "PrivateZone")
                .zoneName(environment + ".kube")
                .vpc(Objects.requireNonNull(vpc, "vpc is required"))
                .comment("Nodes and API of kubecdk environment " + environment)
                .build();
    }

    /** @return the private zone {@code <env>.kube} */
    public PrivateHostedZone getPrivateZone() {
        return privateZone;
    }

    /**
     * Points {@code master.<env>.kube}, and the public name when a public zone is given, at the API
     * load balancer.
     *
     * @param loadBalancer the master's load balancer
     * @return the public record's full name, when one was made
     */
    public Optional<String> aliasMaster(INetworkLoadBalancer loadBalancer) {
        RecordTarget target = RecordTarget.fromAlias(new LoadBalancerTarget(loadBalancer));
        ARecord.Builder.create(this, "MasterAlias").zone(privateZone).recordName("master").target(target).build();
        if (!spec.hasPublicZone()) {
            return Optional.empty();
        }
        IHostedZone publicZone = HostedZone.fromHostedZoneAttributes(this, "PublicZone", HostedZoneAttributes.builder()
                .hostedZoneId(spec.publicZoneId()).zoneName(spec.publicDomain()).build());
        String name = "master." + environment + "." + spec.publicDomain();
        ARecord.Builder.create(this, "PublicMasterAlias").zone(publicZone).recordName(name + ".").target(target).build();
        return Optional.of(name);
    }
}
