package io.kubecdk.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

class AssumeRoleTest {
    static final String ROLE = "arn:aws:iam::123456789012:role/ops";
    static final String ASSUMED = """
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <AssumedRoleUser><AssumedRoleId>AROATEST:night-job</AssumedRoleId>
                  <Arn>arn:aws:sts::123456789012:assumed-role/ops/night-job</Arn></AssumedRoleUser>
                <Credentials><AccessKeyId>ASIATEMP</AccessKeyId><SecretAccessKey>tempsecret</SecretAccessKey>
                  <SessionToken>token-123</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>
              </AssumeRoleResult>
              <ResponseMetadata><RequestId>req-sts-1</RequestId></ResponseMetadata>
            </AssumeRoleResponse>""";

    FakeAws aws;
    AwsClients clients;
    StsClient sts;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAws();
        clients = new AwsClients(Optional.of(aws.endpoint()), Optional.empty());
        sts = clients.create(StsClient.class, Region.US_EAST_1, AwsActionTest.CREDENTIALS);
    }

    @AfterEach
    void stop() {
        sts.close();
        clients.close();
        aws.close();
    }

    @Test
    void assumedCredentialsSignTheNextCallWithTheirSessionToken() {
        aws.xml(200, ASSUMED).xml(200, """
                <GetCallerIdentityResponse><GetCallerIdentityResult>
                  <Arn>arn:aws:sts::123456789012:assumed-role/ops/night-job</Arn><Account>123456789012</Account>
                </GetCallerIdentityResult></GetCallerIdentityResponse>""");

        var credentials = AssumeRole.builder(ROLE).sessionName("night-job").duration(Duration.ofMinutes(15))
                .externalId("ext-1").mfa("arn:aws:iam::123456789012:mfa/ana", "123456")
                .policy("{\"Version\":\"2012-10-17\"}").build().credentials(sts);
        var tree = new AwsAction(clients).invoke("us-east-1", "sts", "get_caller_identity",
                AwsActionTest.json("{}"), credentials.provider());

        assertThat(credentials).isEqualTo(new TemporaryCredentials("ASIATEMP", "tempsecret", "token-123",
                Instant.parse("2030-01-01T00:00:00Z")));
        var assume = aws.requests().get(0);
        assertThat(assume.formParams()).containsExactly("Action=AssumeRole", "Version=2011-06-15",
                "RoleArn=" + ROLE, "RoleSessionName=night-job", "Policy={\"Version\":\"2012-10-17\"}",
                "DurationSeconds=900", "ExternalId=ext-1", "SerialNumber=arn:aws:iam::123456789012:mfa/ana",
                "TokenCode=123456");
        assertThat(assume.header("X-Amz-Security-Token")).isNull();
        var next = aws.requests().get(1);
        assertThat(next.header("X-Amz-Security-Token")).isEqualTo("token-123");
        assertThat(next.header("Authorization")).contains("Credential=ASIATEMP/");
        assertThat(tree.get("Account").asText()).isEqualTo("123456789012");
    }

    @Test
    void theRefreshingProviderAssumesTheRoleOnFirstUse() {
        aws.xml(200, ASSUMED);

        try (var provider = AssumeRole.builder(ROLE).sessionName("long-job").build().refreshingProvider(sts)) {
            var credentials = provider.resolveCredentials();

            assertThat(credentials.accessKeyId()).isEqualTo("ASIATEMP");
            assertThat(aws.only().formParams()).contains("RoleSessionName=long-job", "DurationSeconds=3600");
        }
    }

    @Test
    void aRefusalReportsTheStsError() {
        aws.xml(403, """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error><Type>Sender</Type><Code>AccessDenied</Code>
                    <Message>not authorized to perform sts:AssumeRole</Message></Error>
                  <RequestId>req-sts-err</RequestId>
                </ErrorResponse>""");

        assertThatThrownBy(() -> AssumeRole.builder(ROLE).sessionName("s").build().credentials(sts))
                .isInstanceOf(AwsCallException.class)
                .hasMessage("An error occurred (AccessDenied) when calling AssumeRole on sts: "
                        + "not authorized to perform sts:AssumeRole [HTTP 403, request id req-sts-err]");
    }

    @Test
    void theDefaultSessionNameTellsWhoAndWhenWithinStsLimits() {
        var at = Instant.parse("2024-05-01T10:00:00Z");

        assertThat(AssumeRole.defaultSessionName("ana", at)).isEqualTo("ana-20240501T100000Z");
        assertThat(AssumeRole.defaultSessionName("DOMAIN\\ana smith", at)).isEqualTo("DOMAIN-ana-smith-20240501T100000Z");
        assertThat(AssumeRole.defaultSessionName("x".repeat(100), at)).hasSize(64).endsWith("-20240501T100000Z");
        assertThat(AssumeRole.builder(ROLE).build().request().roleSessionName())
                .matches("[\\w+=,.@-]+-\\d{8}T\\d{6}Z");
    }

    @Test
    void durationAndMfaAreValidated() {
        assertThatThrownBy(() -> AssumeRole.builder(ROLE).duration(Duration.ofMinutes(5)).build())
                .isInstanceOf(InvalidCallException.class)
                .hasMessage("duration: 300 seconds is outside 900..43200");
        assertThatThrownBy(() -> AssumeRole.builder(ROLE).mfa("arn:aws:iam::1:mfa/a", null).build())
                .isInstanceOf(InvalidCallException.class)
                .hasMessage("mfa: the serial number and the token code go together");
    }

    @Test
    void credentialsPrintAsJsonOrQuotedExportLines() {
        var credentials = new TemporaryCredentials("ASIATEMP", "se'cret", "token", Instant.parse("2030-01-01T00:00:00Z"));

        assertThat(credentials.toJson()).isEqualTo(AwsActionTest.json("""
                {"AccessKeyId": "ASIATEMP", "SecretAccessKey": "se'cret", "SessionToken": "token",
                 "Expiration": "2030-01-01T00:00:00Z"}"""));
        assertThat(credentials.toExportLines()).isEqualTo("""
                export AWS_ACCESS_KEY_ID='ASIATEMP'
                export AWS_SECRET_ACCESS_KEY='se'\\''cret'
                export AWS_SESSION_TOKEN='token'
                export AWS_CREDENTIAL_EXPIRATION='2030-01-01T00:00:00Z'
                """);
    }
}
