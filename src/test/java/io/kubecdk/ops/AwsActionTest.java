package io.kubecdk.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class AwsActionTest {
    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret"));
    static final ObjectMapper JSON = new ObjectMapper();

    FakeAws aws;
    AwsClients clients;
    AwsAction action;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAws();
        clients = new AwsClients(Optional.of(aws.endpoint()), Optional.empty());
        action = new AwsAction(clients);
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    JsonNode call(String service, String operation, String params) {
        return action.invoke("us-east-1", service, operation, json(params), CREDENTIALS);
    }

    @Test
    void queryProtocolCallSendsListMembersAndReadsNestedStructuresAndTimestamps() {
        aws.xml(200, """
                <DescribeLaunchConfigurationsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
                  <DescribeLaunchConfigurationsResult>
                    <LaunchConfigurations>
                      <member>
                        <LaunchConfigurationName>lc</LaunchConfigurationName>
                        <ImageId>ami-1</ImageId>
                        <CreatedTime>2024-05-01T10:00:00.000Z</CreatedTime>
                        <SecurityGroups><member>sg-1</member><member>sg-2</member></SecurityGroups>
                        <BlockDeviceMappings>
                          <member>
                            <DeviceName>/dev/xvda</DeviceName>
                            <Ebs><VolumeSize>20</VolumeSize><VolumeType>gp3</VolumeType></Ebs>
                          </member>
                        </BlockDeviceMappings>
                        <InstanceMonitoring><Enabled>false</Enabled></InstanceMonitoring>
                      </member>
                    </LaunchConfigurations>
                  </DescribeLaunchConfigurationsResult>
                  <ResponseMetadata><RequestId>req-asg-1</RequestId></ResponseMetadata>
                </DescribeLaunchConfigurationsResponse>""");

        var tree = call("autoscaling", "describe_launch_configurations", "{\"LaunchConfigurationNames\":[\"lc\"]}");

        var request = aws.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.body()).isEqualTo(
                "Action=DescribeLaunchConfigurations&Version=2011-01-01&LaunchConfigurationNames.member.1=lc");
        assertThat(request.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
                .contains("/us-east-1/autoscaling/aws4_request");
        assertThat(tree).isEqualTo(json("""
                {"LaunchConfigurations": [{
                   "LaunchConfigurationName": "lc",
                   "ImageId": "ami-1",
                   "SecurityGroups": ["sg-1", "sg-2"],
                   "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}}],
                   "InstanceMonitoring": {"Enabled": false},
                   "CreatedTime": "2024-05-01T10:00:00Z"}],
                 "ResponseMetadata": {"RequestId": "req-asg-1", "HTTPStatusCode": 200}}"""));
    }
}
