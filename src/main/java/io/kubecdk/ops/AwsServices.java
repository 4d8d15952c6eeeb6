package io.kubecdk.ops;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The services {@link AwsAction} can call: boto3 service name to SDK v2 client interface. Adding a
 * service is one line here plus its SDK module in the pom.
 */
public final class AwsServices {
    private static final SortedMap<String, Class<? extends SdkClient>> CLIENTS = new TreeMap<>(Map.ofEntries(
            Map.entry("autoscaling", AutoScalingClient.class),
            Map.entry("cloudformation", CloudFormationClient.class),
            Map.entry("dynamodb", DynamoDbClient.class),
            Map.entry("ec2", Ec2Client.class),
            Map.entry("elbv2", ElasticLoadBalancingV2Client.class),
            Map.entry("elasticloadbalancingv2", ElasticLoadBalancingV2Client.class),
            Map.entry("iam", IamClient.class),
            Map.entry("rds", RdsClient.class),
            Map.entry("route53", Route53Client.class),
            Map.entry("s3", S3Client.class),
            Map.entry("ssm", SsmClient.class),
            Map.entry("sts", StsClient.class)));

    private AwsServices() {
    }

    /** Every known service name with its client interface, sorted by name. */
    public static SortedMap<String, Class<? extends SdkClient>> all() {
        return Collections.unmodifiableSortedMap(CLIENTS);
    }

    /**
     * The client interface of a service.
     *
     * @param service boto3 name, case-insensitive, such as {@code autoscaling}
     * @throws InvalidCallException naming the known services when the name is unknown
     */
    public static Class<? extends SdkClient> clientInterface(String service) {
        var client = CLIENTS.get(service.toLowerCase(java.util.Locale.ROOT));
        if (client == null) {
            throw new InvalidCallException("Unknown service \"" + service + "\", must be one of: "
                    + String.join(", ", CLIENTS.keySet()));
        }
        return client;
    }
}
