package io.kubecdk;

import io.kubecdk.spec.ClusterSpec;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * One environment's stack: a {@link KubernetesCluster} named {@code Cluster} and its outputs (API
 * endpoint, bucket, private zone, VPC).
 *
 * <p>The cluster's {@link io.kubecdk.security.ClusterSecurityRules} run on the whole stack: a broken
 * rule is an error annotation, which fails {@code cdk deploy}.
 *
 * <p>The stack is bound to the spec's region (and account, when given). Its availability zones come
 * from the spec, so synthesis needs no AWS credentials and no context lookup.
 */
public class ClusterStack extends Stack {
    private final KubernetesCluster cluster;

    /**
     * @param scope the app
     * @param id the stack id, e.g. {@code kubecdk-prod}
     * @param spec the environment's validated spec
     */
    public ClusterStack(Construct scope, String id, ClusterSpec spec) {
        super(scope, id, StackProps.builder()
                .env(Environment.builder().region(spec.region()).account(spec.account()).build())
                .description("kubecdk Kubernetes cluster, environment " + spec.environment())
                .build());
        spec.accountId().ifPresent(account -> getNode().setContext(
                "availability-zones:account=" + account + ":region=" + spec.region(), spec.availabilityZones()));
        this.cluster = KubernetesCluster.Builder.create(this, "Cluster").spec(spec).build();
        cluster.securityRules().applyTo(this);
        output("ApiEndpoint", cluster.getApiEndpoint(), "Kubernetes API inside the VPC");
        output("ApiLoadBalancerDnsName", cluster.getMasterLoadBalancer().getLoadBalancerDnsName(),
                "DNS name of the API load balancer");
        cluster.getPublicApiEndpoint().ifPresent(url -> output("PublicApiEndpoint", url, "Kubernetes API in the public zone"));
        output("ScriptBucketName", cluster.getScriptBucket().getBucketName(), "Bucket of scripts, join data and etcd backups");
        output("PrivateZoneId", cluster.getPrivateZone().getHostedZoneId(), "Private hosted zone " + spec.privateZoneName());
        output("VpcId", cluster.getVpc().getVpcId(), "VPC of the cluster");
    }

    /** @return the cluster */
    public KubernetesCluster getCluster() {
        return cluster;
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }
}
