package io.kubecdk.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

class AwsServicesTest {

    @Test
    void everyNameIsTheServiceNameOfItsClientExceptTheLoadBalancingV2Aliases() throws Exception {
        // the SDK names ELBv2 after its signing name; boto3 calls it elbv2
        var exceptions = Map.of("elbv2", "elasticloadbalancing", "elasticloadbalancingv2", "elasticloadbalancing");
        for (var entry : AwsServices.all().entrySet()) {
            var serviceName = entry.getValue().getField("SERVICE_NAME").get(null);
            assertThat(serviceName).as(entry.getKey())
                    .isEqualTo(exceptions.getOrDefault(entry.getKey(), entry.getKey()));
            assertThat(entry.getValue().getMethod("builder")).as(entry.getKey()).isNotNull();
        }
        assertThat(AwsServices.all()).containsOnlyKeys("autoscaling", "cloudformation", "dynamodb", "ec2", "elbv2",
                "elasticloadbalancingv2", "iam", "rds", "route53", "s3", "ssm", "sts");
    }

    @Test
    void namesAreCaseInsensitive() {
        assertThat(AwsServices.clientInterface("EC2")).isEqualTo(Ec2Client.class);
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> AwsServices.clientInterface("elb"))
                .isInstanceOf(InvalidCallException.class)
                .hasMessage("Unknown service \"elb\", must be one of: autoscaling, cloudformation, dynamodb, ec2, "
                        + "elasticloadbalancingv2, elbv2, iam, rds, route53, s3, ssm, sts");
    }
}
