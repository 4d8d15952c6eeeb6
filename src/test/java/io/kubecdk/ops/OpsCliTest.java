package io.kubecdk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

class OpsCliTest {
    static final String EMPTY_LAUNCH_CONFIGURATIONS = "<DescribeLaunchConfigurationsResponse>"
            + "<DescribeLaunchConfigurationsResult><LaunchConfigurations/></DescribeLaunchConfigurationsResult>"
            + "<ResponseMetadata><RequestId>req-cli-1</RequestId></ResponseMetadata>"
            + "</DescribeLaunchConfigurationsResponse>";

    FakeAws aws;
    final List<Optional<String>> profilesAsked = new ArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final OpsCli cli = new OpsCli(new AwsDefaults() {
        @Override
        public AwsCredentialsProvider credentials(Optional<String> profile) {
            profilesAsked.add(profile);
            return AwsActionTest.CREDENTIALS;
        }

        @Override
        public Optional<String> region(Optional<String> profile) {
            return Optional.empty();
        }
    }, Clock.fixed(Instant.parse("2024-05-03T15:30:00Z"), ZoneOffset.UTC));

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAws();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    int run(String... args) {
        var all = new ArrayList<>(List.of(args));
        if (all.size() > 1) {
            all.addAll(List.of("--endpoint-url", aws.endpoint().toString()));
        }
        return cli.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void callPrintsTheResponseAsJsonAndExitsZero() {
        aws.xml(200, EMPTY_LAUNCH_CONFIGURATIONS);

        var code = run("call", "--region", "us-east-1", "--service", "autoscaling",
                "--operation", "describe_launch_configurations", "--params", "{\"LaunchConfigurationNames\":[\"lc\"]}");

        assertThat(code).isZero();
        assertThat(err()).isEmpty();
        assertThat(AwsActionTest.json(out())).isEqualTo(AwsActionTest.json("""
                {"LaunchConfigurations": [], "ResponseMetadata": {"RequestId": "req-cli-1", "HTTPStatusCode": 200}}"""));
        assertThat(aws.only().body()).endsWith("&LaunchConfigurationNames.member.1=lc");
    }

    @Test
    void callReadsParamsFromAFileAndPassesTheProfileOn(@TempDir Path dir) throws Exception {
        var params = Files.writeString(dir.resolve("params.json"), "{\"MaxRecords\": 5}");
        aws.xml(200, EMPTY_LAUNCH_CONFIGURATIONS);

        var code = run("call", "--region=eu-west-1", "--profile", "ops", "--service", "autoscaling",
                "--operation", "DescribeLaunchConfigurations", "--params", "file://" + params);

        assertThat(code).isZero();
        assertThat(profilesAsked).containsExactly(Optional.of("ops"));
        assertThat(aws.only().body()).endsWith("&MaxRecords=5");
        assertThat(aws.only().header("Authorization")).contains("/eu-west-1/autoscaling/");
    }

    @Test
    void anAwsErrorGoesToStderrWithExitOne() {
        aws.xml(400, "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
                + "<Message>bad name</Message></Error><RequestId>req-cli-err</RequestId></ErrorResponse>");

        var code = run("call", "--region", "us-east-1", "--service", "autoscaling",
                "--operation", "delete_launch_configuration", "--params", "{\"LaunchConfigurationName\":\"x\"}");

        assertThat(code).isEqualTo(1);
        assertThat(out()).isEmpty();
        assertThat(err()).isEqualTo("kubecdk-ops: An error occurred (ValidationError) when calling "
                + "delete_launch_configuration on autoscaling: bad name [HTTP 400, request id req-cli-err]\n");
    }

    @Test
    void anUnreachableEndpointIsAnAwsErrorWithExitOne() {
        aws.close();

        var code = cli.run(new String[] {"call", "--region", "us-east-1", "--service", "sts",
            "--operation", "get_caller_identity", "--endpoint-url", aws.endpoint().toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(1);
        assertThat(out()).isEmpty();
        assertThat(err()).startsWith("kubecdk-ops: An error occurred when calling get_caller_identity on sts: "
                + "Unable to execute HTTP request");
    }

    @Test
    void badUsageExitsTwoWithTheReasonOnStderrAndSendsNothing() {
        assertThat(run("call", "--region", "us-east-1", "--operation", "describe_instances")).isEqualTo(2);
        assertThat(err()).startsWith("kubecdk-ops: error: --service is required for call\n")
                .endsWith("Run 'kubecdk-ops --help' for usage.\n");
        err.reset();
        assertThat(run("call", "--region", "us-east-1", "--service", "ec2", "--operation", "describe_instances",
                "--params", "{\"Filter\": []}")).isEqualTo(2);
        assertThat(err()).contains("Unknown parameter in input: \"Filter\", must be one of: DryRun, Filters, ",
                "InstanceIds, MaxResults, NextToken\n");
        err.reset();
        assertThat(run("call", "--region", "us-east-1", "--service", "ec2", "--operation", "describe_instances",
                "--params", "{not json")).isEqualTo(2);
        assertThat(err()).startsWith("kubecdk-ops: error: --params is not valid JSON");
        err.reset();
        assertThat(run("nodes", "--region", "us-east-1", "--env", "prod", "--paginate")).isEqualTo(2);
        assertThat(err()).startsWith("kubecdk-ops: error: unknown option --paginate for nodes, must be one of:");
        err.reset();
        assertThat(run("reboot", "--env", "prod")).isEqualTo(2);
        assertThat(err()).startsWith("kubecdk-ops: error: unknown command reboot, must be one of: call,");
        err.reset();
        assertThat(run("nodes", "--env", "prod")).isEqualTo(2);
        assertThat(err()).startsWith("kubecdk-ops: error: no region: give --region or set AWS_REGION\n");
        assertThat(out()).isEmpty();
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void helpGoesToStdoutWithExitZeroAndNoArgumentsIsBadUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out()).startsWith("Usage: kubecdk-ops <command> [options]").contains("master-ip", "Exit codes");
        assertThat(err()).isEmpty();
        out.reset();
        assertThat(run("backups", "--help")).isZero();
        assertThat(out()).startsWith("Usage:");
        out.reset();
        assertThat(run()).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).startsWith("Usage:");
    }

    @Test
    void assumeRolePrintsExportLinesOrJson() {
        aws.xml(200, AssumeRoleTest.ASSUMED).xml(200, AssumeRoleTest.ASSUMED);

        assertThat(run("assume-role", "--region", "us-east-1", "--role-arn", AssumeRoleTest.ROLE,
                "--format", "env", "--duration-seconds", "900")).isZero();
        assertThat(out()).isEqualTo("""
                export AWS_ACCESS_KEY_ID='ASIATEMP'
                export AWS_SECRET_ACCESS_KEY='tempsecret'
                export AWS_SESSION_TOKEN='token-123'
                export AWS_CREDENTIAL_EXPIRATION='2030-01-01T00:00:00Z'
                """);
        out.reset();
        assertThat(run("assume-role", "--region", "us-east-1", "--role-arn", AssumeRoleTest.ROLE)).isZero();
        assertThat(AwsActionTest.json(out()).get("SessionToken").asText()).isEqualTo("token-123");
        assertThat(aws.requests().get(0).formParams()).contains("DurationSeconds=900");
        assertThat(aws.requests().get(1).formParams()).contains("DurationSeconds=3600");
    }

    @Test
    void callWithRoleArnSignsWithTheAssumedCredentials() {
        aws.xml(200, AssumeRoleTest.ASSUMED).xml(200, EMPTY_LAUNCH_CONFIGURATIONS);

        var code = run("call", "--region", "us-east-1", "--role-arn", AssumeRoleTest.ROLE, "--external-id", "ext",
                "--service", "autoscaling", "--operation", "describe_launch_configurations");

        assertThat(code).isZero();
        assertThat(aws.requests().get(0).formParams()).contains("Action=AssumeRole", "ExternalId=ext");
        assertThat(aws.requests().get(1).header("X-Amz-Security-Token")).isEqualTo("token-123");
    }

    @Test
    void paginateWithoutPaginatorIsBadUsage() {
        assertThat(run("call", "--region", "us-east-1", "--service", "sts", "--operation", "get_caller_identity",
                "--paginate")).isEqualTo(2);
        assertThat(err()).startsWith("kubecdk-ops: error: Operation get_caller_identity of sts cannot be paginated");
    }

    @Test
    void masterIpPrintsTheAddressAloneOrFailsWithExitOne() {
        aws.xml(200, ClusterQueriesTest.reservations(ClusterQueriesTest.instance("i-1", "10.0.1.10", "us-east-1a",
                "2024-05-01T10:00:00.000Z", "master", null))).xml(200, ClusterQueriesTest.reservations());

        assertThat(run("master-ip", "--region", "us-east-1", "--env", "prod")).isZero();
        assertThat(out()).isEqualTo("10.0.1.10\n");
        assertThat(run("master-ip", "--region", "us-east-1", "--env", "prod")).isEqualTo(1);
        assertThat(err()).isEqualTo("kubecdk-ops: no running master in environment prod\n");
    }

    @Test
    void nodesPrintsOneBlockPerZone() {
        aws.xml(200, ClusterQueriesTest.reservations(
                ClusterQueriesTest.instance("i-2", "10.0.2.11", "us-east-1b", "2024-05-01T10:00:00.000Z", "minion", "workers"),
                ClusterQueriesTest.instance("i-1", "10.0.1.10", "us-east-1a", "2024-05-01T10:00:00.000Z", "master", null)));

        assertThat(run("nodes", "--region", "us-east-1", "--env", "prod")).isZero();
        assertThat(out()).isEqualTo("""
                us-east-1a
                  i-1                   master           -                10.0.1.10
                us-east-1b
                  i-2                   minion           workers          10.0.2.11
                """);
    }

    @Test
    void backupsPrintsTheNewestSnapshotWithItsAgeOrFailsWhenThereIsNone() {
        var listing = "<ListBucketResult><Name>state</Name><IsTruncated>false</IsTruncated>"
                + ClusterQueriesTest.object("etcd-backups/20240502T030000Z/snapshot.db", 2048) + "</ListBucketResult>";
        aws.xml(200, listing).xml(200, "<ListBucketResult><Name>state</Name><IsTruncated>false</IsTruncated>"
                + "</ListBucketResult>");

        assertThat(run("backups", "--region", "us-east-1", "--env", "prod", "--bucket", "state")).isZero();
        assertThat(out()).isEqualTo("""
                environment: prod
                key:         s3://state/etcd-backups/20240502T030000Z/snapshot.db
                taken at:    2024-05-02T03:00:00Z
                age:         1d 12h
                size:        2048 bytes
                checksum:    MISSING
                """);
        assertThat(run("backups", "--region", "us-east-1", "--env", "prod", "--bucket", "state")).isEqualTo(1);
        assertThat(err()).isEqualTo("kubecdk-ops: no etcd backup of prod under s3://state/etcd-backups/\n");
    }

    @Test
    void eipsPrintsEachAddressWithItsHolderOrFree() {
        aws.xml(200, """
                <DescribeAddressesResponse><addressesSet>
                  <item><publicIp>203.0.113.10</publicIp><allocationId>eipalloc-1</allocationId><instanceId>i-7</instanceId>
                    <tagSet><item><key>kubecdk:eip-pool</key><value>ingress</value></item></tagSet></item>
                  <item><publicIp>203.0.113.11</publicIp><allocationId>eipalloc-2</allocationId>
                    <tagSet><item><key>kubecdk:eip-pool</key><value>ingress</value></item></tagSet></item>
                </addressesSet></DescribeAddressesResponse>""");

        assertThat(run("eips", "--region", "us-east-1", "--env", "prod")).isZero();
        assertThat(out()).isEqualTo("""
                ALLOCATION-ID         PUBLIC-IP        POOL             INSTANCE
                eipalloc-1            203.0.113.10     ingress          i-7
                eipalloc-2            203.0.113.11     ingress          free
                """);
    }
}
