package io.kubecdk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterQueriesTest {
    static final Instant NOW = Instant.parse("2024-05-02T12:00:00Z");

    FakeAws aws;
    AwsClients clients;
    ClusterQueries queries;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAws();
        clients = new AwsClients(Optional.of(aws.endpoint()), Optional.empty());
        queries = new ClusterQueries(new AwsAction(clients), "us-east-1", AwsActionTest.CREDENTIALS,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    static String instance(String id, String ip, String zone, String launched, String role, String group) {
        return "<item><instanceId>" + id + "</instanceId><privateIpAddress>" + ip + "</privateIpAddress>"
                + "<launchTime>" + launched + "</launchTime>"
                + "<placement><availabilityZone>" + zone + "</availabilityZone></placement><tagSet>"
                + "<item><key>kubecdk:environment</key><value>prod</value></item>"
                + (role == null ? "" : "<item><key>kubecdk:role</key><value>" + role + "</value></item>")
                + (group == null ? "" : "<item><key>kubecdk:group</key><value>" + group + "</value></item>")
                + "</tagSet></item>";
    }

    static String reservations(String... instances) {
        return "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>req-ec2</requestId><reservationSet><item><reservationId>r-1</reservationId>"
                + "<instancesSet>" + String.join("", instances) + "</instancesSet></item></reservationSet>"
                + "</DescribeInstancesResponse>";
    }

    @Test
    void masterIpFiltersOnRoleEnvironmentAndRunningAndPrefersTheNewestMaster() {
        aws.xml(200, reservations(
                instance("i-old", "10.0.1.10", "us-east-1a", "2024-05-01T10:00:00.000Z", "master", null),
                instance("i-new", "10.0.2.10", "us-east-1b", "2024-05-02T10:00:00.000Z", "master", null)));

        assertThat(queries.masterIp("prod")).contains("10.0.2.10");
        assertThat(aws.only().formParams()).containsExactly("Action=DescribeInstances", "Version=2016-11-15",
                "Filter.1.Name=tag:kubecdk:environment", "Filter.1.Value.1=prod",
                "Filter.2.Name=instance-state-name", "Filter.2.Value.1=running",
                "Filter.3.Name=tag:kubecdk:role", "Filter.3.Value.1=master");
    }

    @Test
    void masterIpIsEmptyWhenNoMasterRuns() {
        aws.xml(200, reservations());

        assertThat(queries.masterIp("prod")).isEmpty();
    }

    @Test
    void nodesAreGroupedPerZoneWithRoleAndGroupFromTags() {
        aws.xml(200, reservations(
                instance("i-3", "10.0.2.11", "us-east-1b", "2024-05-01T10:00:00.000Z", "minion", "workers"),
                instance("i-1", "10.0.1.10", "us-east-1a", "2024-05-01T10:00:00.000Z", "master", null),
                instance("i-2", "10.0.1.11", "us-east-1a", "2024-05-01T10:00:00.000Z", "minion", "workers")));

        var nodes = queries.nodes("prod");

        assertThat(nodes).isEqualTo(Map.of(
                "us-east-1a", List.of(new ClusterNode("i-1", "master", "-", "10.0.1.10", "us-east-1a"),
                        new ClusterNode("i-2", "minion", "workers", "10.0.1.11", "us-east-1a")),
                "us-east-1b", List.of(new ClusterNode("i-3", "minion", "workers", "10.0.2.11", "us-east-1b"))));
        assertThat(aws.only().formParams()).containsExactly("Action=DescribeInstances", "Version=2016-11-15",
                "Filter.1.Name=tag:kubecdk:environment", "Filter.1.Value.1=prod",
                "Filter.2.Name=instance-state-name", "Filter.2.Value.1=running");
    }

    static String object(String key, long size) {
        return "<Contents><Key>" + key + "</Key><LastModified>2024-05-02T03:00:05.000Z</LastModified>"
                + "<ETag>\"e\"</ETag><Size>" + size + "</Size><StorageClass>STANDARD</StorageClass></Contents>";
    }

    @Test
    void newestBackupIsTheLatestSnapshotKeyAcrossPagesWithItsAge() {
        aws.xml(200, "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>state</Name>"
                + "<Prefix>etcd-backups/</Prefix><KeyCount>3</KeyCount><MaxKeys>3</MaxKeys><IsTruncated>true</IsTruncated>"
                + "<NextContinuationToken>page-2</NextContinuationToken>"
                + object("etcd-backups/20240501T030000Z/snapshot.db", 1000)
                + object("etcd-backups/20240501T030000Z/snapshot.db.sha256", 64)
                + object("etcd-backups/20240502T030000Z/snapshot.db", 2048)
                + "</ListBucketResult>")
           .xml(200, "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>state</Name>"
                + "<Prefix>etcd-backups/</Prefix><KeyCount>2</KeyCount><MaxKeys>3</MaxKeys><IsTruncated>false</IsTruncated>"
                + "<ContinuationToken>page-2</ContinuationToken>"
                + object("etcd-backups/20240502T030000Z/snapshot.db.sha256", 64)
                + object("etcd-backups/notes.txt", 5)
                + "</ListBucketResult>");

        var backup = queries.newestBackup("state");

        assertThat(backup).contains(new EtcdBackup("etcd-backups/20240502T030000Z/snapshot.db",
                Instant.parse("2024-05-02T03:00:00Z"), Duration.ofHours(9), 2048, true));
        var requests = aws.requests();
        assertThat(requests).extracting(FakeAws.Request::method).containsExactly("GET", "GET");
        assertThat(requests.get(0).path()).isEqualTo("/state");
        assertThat(requests.get(0).query()).contains("list-type=2").contains("prefix=etcd-backups%2F");
        assertThat(requests.get(1).query()).contains("continuation-token=page-2");
    }

    @Test
    void elasticIpsShowThePoolAndTheHolderOrFree() {
        aws.xml(200, """
                <DescribeAddressesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                  <requestId>req-eip</requestId>
                  <addressesSet>
                    <item><publicIp>203.0.113.11</publicIp><allocationId>eipalloc-2</allocationId><domain>vpc</domain>
                      <tagSet><item><key>kubecdk:eip-pool</key><value>ingress</value></item></tagSet></item>
                    <item><publicIp>203.0.113.10</publicIp><allocationId>eipalloc-1</allocationId><domain>vpc</domain>
                      <instanceId>i-7</instanceId>
                      <tagSet><item><key>kubecdk:eip-pool</key><value>ingress</value></item></tagSet></item>
                  </addressesSet>
                </DescribeAddressesResponse>""");

        assertThat(queries.elasticIps("prod")).containsExactly(
                new ElasticIp("eipalloc-1", "203.0.113.10", "ingress", Optional.of("i-7")),
                new ElasticIp("eipalloc-2", "203.0.113.11", "ingress", Optional.empty()));
        assertThat(aws.only().formParams()).containsExactly("Action=DescribeAddresses", "Version=2016-11-15",
                "Filter.1.Name=tag:kubecdk:environment", "Filter.1.Value.1=prod",
                "Filter.2.Name=tag-key", "Filter.2.Value.1=kubecdk:eip-pool");
    }
}
