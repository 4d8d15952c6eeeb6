package io.kubecdk.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
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

    @Test
    void operationNamesInPascalCaseCallTheSameOperation() {
        aws.xml(200, "<DescribeLaunchConfigurationsResponse><DescribeLaunchConfigurationsResult><LaunchConfigurations/>"
                + "</DescribeLaunchConfigurationsResult></DescribeLaunchConfigurationsResponse>");

        var tree = call("autoscaling", "DescribeLaunchConfigurations", "{}");

        assertThat(aws.only().body()).isEqualTo("Action=DescribeLaunchConfigurations&Version=2011-01-01");
        assertThat(tree.get("LaunchConfigurations")).isEmpty();
    }

    @Test
    void ec2FiltersUseTheWireNameFilterAndTheResponseKeepsMemberNames() {
        aws.xml(200, """
                <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                  <requestId>req-ec2-1</requestId>
                  <reservationSet><item>
                    <reservationId>r-1</reservationId>
                    <instancesSet><item>
                      <instanceId>i-1</instanceId>
                      <instanceState><code>16</code><name>running</name></instanceState>
                      <privateIpAddress>10.0.1.10</privateIpAddress>
                      <launchTime>2024-05-01T10:00:00.000Z</launchTime>
                      <placement><availabilityZone>us-east-1a</availabilityZone></placement>
                      <tagSet><item><key>kubecdk:role</key><value>master</value></item></tagSet>
                    </item></instancesSet>
                  </item></reservationSet>
                </DescribeInstancesResponse>""");

        var tree = call("ec2", "describe_instances", """
                {"Filters": [{"Name": "tag:kubecdk:role", "Values": ["master"]},
                             {"Name": "instance-state-name", "Values": ["running", "pending"]}],
                 "MaxResults": "50"}""");

        assertThat(aws.only().formParams()).containsExactly("Action=DescribeInstances", "Version=2016-11-15",
                "Filter.1.Name=tag:kubecdk:role", "Filter.1.Value.1=master",
                "Filter.2.Name=instance-state-name", "Filter.2.Value.1=running", "Filter.2.Value.2=pending",
                "MaxResults=50");
        assertThat(tree).isEqualTo(json("""
                {"Reservations": [{"ReservationId": "r-1", "Instances": [{
                   "InstanceId": "i-1",
                   "LaunchTime": "2024-05-01T10:00:00Z",
                   "Placement": {"AvailabilityZone": "us-east-1a"},
                   "PrivateIpAddress": "10.0.1.10",
                   "State": {"Code": 16, "Name": "running"},
                   "Tags": [{"Key": "kubecdk:role", "Value": "master"}]}]}],
                 "ResponseMetadata": {"RequestId": "req-ec2-1", "HTTPStatusCode": 200}}"""));
    }

    @Test
    void restXmlCallSendsNestedListsOfStructuresInTheBody() {
        aws.reply(200, "text/xml", Map.of("x-amzn-RequestId", "req-r53-1"), """
                <ChangeResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
                  <ChangeInfo><Id>/change/C1</Id><Status>PENDING</Status>
                    <SubmittedAt>2024-05-01T10:00:00.000Z</SubmittedAt><Comment>rotate</Comment></ChangeInfo>
                </ChangeResourceRecordSetsResponse>""");

        var tree = call("route53", "change_resource_record_sets", """
                {"HostedZoneId": "Z1", "ChangeBatch": {"Comment": "rotate", "Changes": [
                  {"Action": "UPSERT", "ResourceRecordSet": {"Name": "api.prod.kube", "Type": "A", "TTL": 60,
                   "ResourceRecords": [{"Value": "10.0.0.1"}, {"Value": "10.0.0.2"}]}}]}}""");

        var request = aws.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/2013-04-01/hostedzone/Z1/rrset/");
        assertThat(request.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ChangeResourceRecordSetsRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
                + "<ChangeBatch><Comment>rotate</Comment><Changes><Change><Action>UPSERT</Action>"
                + "<ResourceRecordSet><Name>api.prod.kube</Name><Type>A</Type><TTL>60</TTL><ResourceRecords>"
                + "<ResourceRecord><Value>10.0.0.1</Value></ResourceRecord>"
                + "<ResourceRecord><Value>10.0.0.2</Value></ResourceRecord>"
                + "</ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch>"
                + "</ChangeResourceRecordSetsRequest>");
        // the SDK itself strips the "/change/" prefix from Route 53 ids
        assertThat(tree).isEqualTo(json("""
                {"ChangeInfo": {"Id": "C1", "Status": "PENDING", "SubmittedAt": "2024-05-01T10:00:00Z",
                                "Comment": "rotate"},
                 "ResponseMetadata": {"RequestId": "req-r53-1", "HTTPStatusCode": 200}}"""));
    }

    @Test
    void jsonProtocolCallSendsTargetHeaderAndMapsOfStructures() {
        aws.json(200, """
                {"Item": {"pk": {"S": "node-1"}, "size": {"N": "5"}, "zones": {"SS": ["a", "b"]}}}""");

        var tree = call("dynamodb", "get_item", """
                {"TableName": "locks", "Key": {"pk": {"S": "node-1"}}, "ConsistentRead": true}""");

        var request = aws.only();
        assertThat(request.header("X-Amz-Target")).isEqualTo("DynamoDB_20120810.GetItem");
        assertThat(request.header("Content-Type")).isEqualTo("application/x-amz-json-1.0");
        assertThat(json(request.body())).isEqualTo(json("""
                {"TableName": "locks", "Key": {"pk": {"S": "node-1"}}, "ConsistentRead": true}"""));
        assertThat(tree).isEqualTo(json("""
                {"Item": {"pk": {"S": "node-1"}, "size": {"N": "5"}, "zones": {"SS": ["a", "b"]}},
                 "ResponseMetadata": {"RequestId": "req-json-1", "HTTPStatusCode": 200}}"""));
    }

    @Test
    void timestampsAndNumbersGivenAsStringsAreCoerced() {
        aws.xml(200, "<DescribeScheduledActionsResponse><DescribeScheduledActionsResult><ScheduledUpdateGroupActions/>"
                + "</DescribeScheduledActionsResult></DescribeScheduledActionsResponse>");

        call("autoscaling", "describe_scheduled_actions", """
                {"AutoScalingGroupName": "workers", "StartTime": "2024-05-01T12:00:00+02:00",
                 "EndTime": 1714564800, "MaxRecords": "10"}""");

        assertThat(aws.only().formParams()).contains("StartTime=2024-05-01T10:00:00Z",
                "EndTime=2024-05-01T12:00:00Z", "MaxRecords=10");
    }

    @Test
    void paginateFollowsTokensAndConcatenatesThePages() {
        aws.xml(200, page("lc-1", "<NextToken>t1</NextToken>", "req-p1"))
                .xml(200, page("lc-2", "", "req-p2"));

        var tree = action.invokeAll("us-east-1", "autoscaling", "describe_launch_configurations",
                json("{\"MaxRecords\": 1}"), CREDENTIALS);

        assertThat(aws.requests()).extracting(FakeAws.Request::body).containsExactly(
                "Action=DescribeLaunchConfigurations&Version=2011-01-01&MaxRecords=1",
                "Action=DescribeLaunchConfigurations&Version=2011-01-01&NextToken=t1&MaxRecords=1");
        assertThat(tree).isEqualTo(json("""
                {"LaunchConfigurations": [{"LaunchConfigurationName": "lc-1"}, {"LaunchConfigurationName": "lc-2"}],
                 "ResponseMetadata": {"RequestId": "req-p2", "HTTPStatusCode": 200}}"""));
    }

    static String page(String name, String token, String requestId) {
        return "<DescribeLaunchConfigurationsResponse><DescribeLaunchConfigurationsResult><LaunchConfigurations>"
                + "<member><LaunchConfigurationName>" + name + "</LaunchConfigurationName></member>"
                + "</LaunchConfigurations>" + token + "</DescribeLaunchConfigurationsResult>"
                + "<ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata>"
                + "</DescribeLaunchConfigurationsResponse>";
    }

    @Test
    void paginateOnAnOperationWithoutPaginatorIsRejectedBeforeAnyCall() {
        assertThatThrownBy(() -> action.invokeAll("us-east-1", "sts", "get_caller_identity", json("{}"), CREDENTIALS))
                .isInstanceOf(InvalidCallException.class)
                .hasMessage("Operation get_caller_identity of sts cannot be paginated; call it without --paginate");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void anAwsErrorResponseIsReportedWithCodeMessageStatusAndRequestId() {
        aws.xml(400, """
                <ErrorResponse xmlns="https://autoscaling.amazonaws.com/doc/2011-01-01/">
                  <Error><Type>Sender</Type><Code>ValidationError</Code>
                    <Message>Launch configuration name not found</Message></Error>
                  <RequestId>req-err-1</RequestId>
                </ErrorResponse>""");

        assertThatThrownBy(() -> call("autoscaling", "delete_launch_configuration",
                "{\"LaunchConfigurationName\": \"nope\"}"))
                .isInstanceOfSatisfying(AwsCallException.class, e -> {
                    assertThat(e.service()).isEqualTo("autoscaling");
                    assertThat(e.errorCode()).isEqualTo("ValidationError");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.requestId()).isEqualTo("req-err-1");
                })
                .hasMessage("An error occurred (ValidationError) when calling delete_launch_configuration on "
                        + "autoscaling: Launch configuration name not found [HTTP 400, request id req-err-1]");
    }

    @Test
    void anUnknownParameterIsRejectedWithTheValidKeysAndNothingIsSent() {
        assertThatThrownBy(() -> call("autoscaling", "describe_launch_configurations",
                "{\"LaunchConfigurationName\": [\"lc\"]}"))
                .isInstanceOf(InvalidCallException.class)
                .hasMessage("Unknown parameter in input: \"LaunchConfigurationName\", must be one of: "
                        + "LaunchConfigurationNames, MaxRecords, NextToken");
        assertThatThrownBy(() -> call("ec2", "describe_instances", "{\"Filters\": [{\"Name\": \"a\", \"Value\": [\"b\"]}]}"))
                .isInstanceOf(InvalidCallException.class)
                .hasMessage("Unknown parameter in Filters[0]: \"Value\", must be one of: Name, Values");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void aValueOfTheWrongTypeIsRejectedWithItsPath() {
        assertThatThrownBy(() -> call("autoscaling", "describe_launch_configurations", "{\"MaxRecords\": \"many\"}"))
                .isInstanceOf(InvalidCallException.class)
                .hasMessage("Invalid type for parameter MaxRecords, value: \"many\", valid types: integer");
        assertThatThrownBy(() -> call("autoscaling", "describe_launch_configurations", "{\"MaxRecords\": 1.5}"))
                .hasMessage("Invalid type for parameter MaxRecords, value: 1.5, valid types: "
                        + "integer between -2147483648 and 2147483647");
        assertThatThrownBy(() -> call("autoscaling", "describe_launch_configurations",
                "{\"LaunchConfigurationNames\": \"lc\"}"))
                .hasMessage("Invalid type for parameter LaunchConfigurationNames, value: \"lc\", valid types: list");
    }

    @Test
    void anUnknownOperationIsRejectedWithCloseNames() {
        assertThatThrownBy(() -> call("autoscaling", "describe_launch_configuration", "{}"))
                .isInstanceOf(InvalidCallException.class)
                .hasMessage("Unknown operation \"describe_launch_configuration\" for service autoscaling; "
                        + "did you mean: describeLaunchConfigurations");
    }

    @Test
    void anUnknownServiceIsRejectedWithTheKnownOnes() {
        assertThatThrownBy(() -> call("lambda", "list_functions", "{}"))
                .isInstanceOf(InvalidCallException.class)
                .hasMessageStartingWith("Unknown service \"lambda\", must be one of: autoscaling, cloudformation,");
    }
}
