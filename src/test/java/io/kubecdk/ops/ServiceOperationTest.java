package io.kubecdk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceRequest;

class ServiceOperationTest {

    @Test
    void snakeCaseFindsMethodsWhoseCaseDiffersFromTheRequestClass() {
        var operation = ServiceOperation.find(RdsClient.class, "rds", "create_db_instance");

        assertThat(operation.method().getName()).isEqualTo("createDBInstance");
        assertThat(operation.requestClass()).isEqualTo(CreateDbInstanceRequest.class);
        assertThat(operation.paginator()).isEmpty();
    }

    @Test
    void pascalCaseAndSnakeCaseFindTheSameOperationAndItsPaginator() {
        var snake = ServiceOperation.find(AutoScalingClient.class, "autoscaling", "describe_launch_configurations");
        var pascal = ServiceOperation.find(AutoScalingClient.class, "autoscaling", "DescribeLaunchConfigurations");

        assertThat(pascal).isEqualTo(snake);
        assertThat(snake.method().getName()).isEqualTo("describeLaunchConfigurations");
        assertThat(snake.paginator()).hasValueSatisfying(
                m -> assertThat(m.getName()).isEqualTo("describeLaunchConfigurationsPaginator"));
    }
}
