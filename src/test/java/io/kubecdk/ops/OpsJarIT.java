package io.kubecdk.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the built {@code kubecdk-ops.jar} as a process (failsafe passes its path after
 * {@code package}), configured only through the standard AWS environment variables.
 */
class OpsJarIT {
    FakeAws aws;
    @TempDir
    Path home;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(System.getProperty("kubecdk.ops.jar") != null, "run by failsafe after package");
        aws = new FakeAws();
    }

    @AfterEach
    void stop() {
        if (aws != null) {
            aws.close();
        }
    }

    record Result(int code, String out, String err) {
    }

    Result run(Map<String, String> env, String... args) throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new java.util.ArrayList<>(List.of(java, "-jar", System.getProperty("kubecdk.ops.jar")));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command)
                .redirectOutput(home.resolve("out").toFile())
                .redirectError(home.resolve("err").toFile());
        var environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AWS_"));
        // fake static keys through the environment; no profile files, no instance metadata
        environment.put("AWS_ACCESS_KEY_ID", "AKIDTEST");
        environment.put("AWS_SECRET_ACCESS_KEY", "secret");
        environment.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        environment.put("AWS_EC2_METADATA_DISABLED", "true");
        environment.put("HOME", home.toString());
        environment.putAll(env);
        var process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
        return new Result(process.exitValue(), read("out"), read("err"));
    }

    String read(String name) throws Exception {
        return Files.readString(home.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void theServiceSpecificEndpointVariableAndAwsRegionAreHonoured() throws Exception {
        aws.xml(200, OpsCliTest.EMPTY_LAUNCH_CONFIGURATIONS);

        var result = run(Map.of("AWS_REGION", "eu-central-1", "AWS_ENDPOINT_URL_AUTO_SCALING", aws.endpoint().toString()),
                "call", "--service", "autoscaling", "--operation", "describe_launch_configurations",
                "--params", "{\"LaunchConfigurationNames\":[\"lc\"]}");

        assertThat(result.err()).isEmpty();
        assertThat(result.code()).isZero();
        assertThat(AwsActionTest.json(result.out()).path("ResponseMetadata").path("RequestId").asText())
                .isEqualTo("req-cli-1");
        assertThat(aws.only().body()).isEqualTo(
                "Action=DescribeLaunchConfigurations&Version=2011-01-01&LaunchConfigurationNames.member.1=lc");
        assertThat(aws.only().header("Authorization")).contains("Credential=AKIDTEST/")
                .contains("/eu-central-1/autoscaling/");
    }

    @Test
    void theGlobalEndpointVariableIsHonouredAndAnAwsErrorExitsOne() throws Exception {
        aws.xml(400, """
                <Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>
                  <Message>The instance ID 'i-0' does not exist</Message></Error></Errors>
                  <RequestID>req-ec2-err</RequestID></Response>""");

        var result = run(Map.of("AWS_ENDPOINT_URL", aws.endpoint().toString()),
                "call", "--region", "us-east-1", "--service", "ec2", "--operation", "DescribeInstances",
                "--params", "{\"InstanceIds\":[\"i-0\"]}");

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("kubecdk-ops: An error occurred (InvalidInstanceID.NotFound) when "
                + "calling DescribeInstances on ec2: The instance ID 'i-0' does not exist "
                + "[HTTP 400, request id req-ec2-err]" + System.lineSeparator());
        assertThat(aws.only().formParams()).contains("InstanceId.1=i-0");
    }

    @Test
    void badUsageExitsTwoWithoutCallingAws() throws Exception {
        var result = run(Map.of(), "nodes", "--region", "us-east-1");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("kubecdk-ops: error: --env is required for nodes");
    }
}
