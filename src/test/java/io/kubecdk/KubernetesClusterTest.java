package io.kubecdk;

import io.kubecdk.spec.AccessSpec;
import io.kubecdk.spec.ClusterSpec;
import io.kubecdk.spec.DnsSpec;
import io.kubecdk.spec.MasterSpec;
import io.kubecdk.spec.MinionGroupSpec;
import io.kubecdk.spec.NetworkSpec;
import io.kubecdk.spec.NodeRole;
import io.kubecdk.testing.StackSnapshot;
import io.kubecdk.testsupport.SecurityFindings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole topology of one environment, synthesized once and checked construct by construct. */
class KubernetesClusterTest {
    private static ClusterStack stack;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        ClusterSpec spec = ClusterSpec.builder("prod").region("eu-central-1").account("123456789012")
                .availabilityZones(List.of("eu-central-1a", "eu-central-1b", "eu-central-1c"))
                .network(NetworkSpec.builder().vpcCidr("10.30.0.0/16").natGateways(3).build())
                .master(MasterSpec.builder().publicApi(true).apiAccessCidrs(List.of("198.51.100.0/24")).build())
                .minionGroup(MinionGroupSpec.builder("workers").minSize(2).maxSize(5).labels(Map.of("tier", "app")).build())
                .minionGroup(MinionGroupSpec.builder("arm").instanceType("m7g.large").minSize(0).maxSize(2).build())
                .minionGroup(MinionGroupSpec.builder("ingress").role(NodeRole.LOADBALANCER).minSize(1).maxSize(2)
                        .elasticIps(3).build())
                .dns(DnsSpec.publicZone("Z0123456789EXAMPLE", "example.com"))
                .access(AccessSpec.ssh(List.of("192.0.2.0/24")))
                .build();
        stack = SecurityFindings.withNag(new ClusterStack(new App(), "kubecdk-prod", spec));
        template = Template.fromStack(stack);
    }

    @Test
    void theVpcSpansThreeZonesWithAPublicAndAPrivateSubnetInEach() {
        template.resourceCountIs("AWS::EC2::VPC", 1);
        template.hasResourceProperties("AWS::EC2::VPC", Map.of("CidrBlock", "10.30.0.0/16",
                "EnableDnsHostnames", true, "EnableDnsSupport", true));
        template.resourceCountIs("AWS::EC2::Subnet", 6);
        template.resourceCountIs("AWS::EC2::RouteTable", 6);
        template.resourceCountIs("AWS::EC2::InternetGateway", 1);
        template.resourceCountIs("AWS::EC2::NatGateway", 3);
        Set<Object> zones = new TreeSet<>();
        template.findResources("AWS::EC2::Subnet").values().forEach(r -> zones.add(props(r).get("AvailabilityZone")));
        assertThat(zones).containsExactly("eu-central-1a", "eu-central-1b", "eu-central-1c");
        // the named zones are deliberate: cfn-lint's hard-coded-zone warning is acknowledged on each subnet
        template.allResources("AWS::EC2::Subnet", Map.of("Metadata", Map.of("cfn-lint",
                Map.of("config", Map.of("ignore_checks", List.of("W3010"))))));
    }

    @Test
    void subnetsAreTaggedForKubernetesLoadBalancers() {
        template.resourcePropertiesCountIs("AWS::EC2::Subnet", Map.of("MapPublicIpOnLaunch", false,
                "Tags", Match.arrayWith(List.of(Map.of("Key", "kubernetes.io/cluster/kubecdk-prod", "Value", "owned"),
                        Map.of("Key", "kubernetes.io/role/elb", "Value", "1")))), 3);
        template.resourcePropertiesCountIs("AWS::EC2::Subnet", Map.of("Tags", Match.arrayWith(List.of(
                Map.of("Key", "kubernetes.io/role/internal-elb", "Value", "1")))), 3);
    }

    @Test
    void flowLogsCaptureAllTrafficIntoARetainedLogGroup() {
        template.hasResourceProperties("AWS::EC2::FlowLog", Map.of("TrafficType", "ALL",
                "LogDestinationType", "cloud-watch-logs"));
        template.hasResource("AWS::Logs::LogGroup", Map.of("Properties", Map.of("RetentionInDays", 90),
                "DeletionPolicy", "Retain"));
    }

    @Test
    void securityGroupsOpenExactlyTheKubernetesPortsAndNothingElse() {
        List<String> rules = ingressRules();
        assertThat(rules).containsExactlyInAnyOrderElementsOf(expectedIngress());
    }

    @Test
    void theApiLoadBalancerMayOnlyReachTheMastersOnTheApiPort() {
        template.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of("GroupDescription",
                "Kubernetes API load balancer", "SecurityGroupEgress", Match.absent()));
        template.resourceCountIs("AWS::EC2::SecurityGroupEgress", 1);
        template.hasResourceProperties("AWS::EC2::SecurityGroupEgress", Map.of("IpProtocol", "tcp",
                "FromPort", 6443, "ToPort", 6443));
    }

    @Test
    void theBucketBlocksPublicAccessEnforcesTlsEncryptsVersionsAndIsRetained() {
        template.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain", "Properties", Map.of(
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(Map.of(
                        "Id", "ExpireSupersededBackups", "Prefix", "etcd-backups/", "ExpirationInDays", 30,
                        "Status", "Enabled", "TagFilters", List.of(Map.of("Key", "kubecdk:superseded", "Value", "true")))))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void theScriptsBundleIsDeployedUnderItsContentHash() {
        Capture prefix = new Capture();
        template.hasResourceProperties("Custom::CDKBucketDeployment", Map.of("DestinationBucketKeyPrefix", prefix,
                "Prune", false));
        assertThat(prefix.asString()).matches("scripts/[0-9a-f]{64}/");
        String hash = prefix.asString().substring(8, 72);
        assertThat(userData("ClusterMasterGroup")).contains("readonly BUNDLE_HASH='" + hash + "'");
    }

    @Test
    void theApiLoadBalancerListensOn6443AndHealthChecksReadyz() {
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of("Type", "network",
                "Scheme", "internet-facing"));
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of("Port", 6443, "Protocol", "TCP",
                "Tags", Match.absent()));
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Map.of("Port", 6443,
                "Protocol", "TCP", "TargetType", "instance", "HealthCheckProtocol", "HTTPS", "HealthCheckPath", "/readyz",
                "TargetGroupAttributes", Match.arrayWith(List.of(
                        Map.of("Key", "preserve_client_ip.enabled", "Value", "false")))));
    }

    @Test
    void theMasterIsAGroupOfExactlyOneWithLoadBalancerHealthChecks() {
        template.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", Map.of("MinSize", "1", "MaxSize", "1",
                "DesiredCapacity", Match.absent(), "HealthCheckType", "ELB", "HealthCheckGracePeriod", 900,
                "TargetGroupARNs", Match.arrayWith(List.of(Match.objectLike(Map.of("Ref", Match.stringLikeRegexp(
                        "ClusterMasterGroupApiLoadBalancerApiMastersGroup.*"))))),
                "Tags", Match.arrayWith(List.of(Map.of("Key", "kubecdk:role", "PropagateAtLaunch", true,
                        "Value", "master")))));
    }

    @Test
    void everyLaunchTemplateRequiresImdsv2AndEncryptsItsGp3Volumes() {
        Map<String, Map<String, Object>> templates = template.findResources("AWS::EC2::LaunchTemplate");
        assertThat(templates).hasSize(4);
        template.resourcePropertiesCountIs("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData", Match.objectLike(
                Map.of("MetadataOptions", Map.of("HttpTokens", "required", "HttpPutResponseHopLimit", 1)))), 4);
        template.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData", Match.objectLike(Map.of(
                "BlockDeviceMappings", List.of(
                        Map.of("DeviceName", "/dev/xvda", "Ebs", Map.of("DeleteOnTermination", true, "Encrypted", true,
                                "VolumeSize", 30, "VolumeType", "gp3")),
                        Map.of("DeviceName", "/dev/sdf", "Ebs", Map.of("DeleteOnTermination", true, "Encrypted", true,
                                "VolumeSize", 20, "VolumeType", "gp3")))))));
        template.resourceCountIs("AWS::AutoScaling::LaunchConfiguration", 0);
    }

    @Test
    void gravitonGroupsGetTheArm64ImageThroughItsPublicSsmParameter() {
        Map<String, Object> parameters = new java.util.HashMap<>();
        template.toJSON().forEach((k, v) -> { if (k.equals("Parameters")) { parameters.putAll(cast(v)); } });
        assertThat(parameters.values().stream().map(p -> cast(p).get("Default")).toList())
                .contains("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
                        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
    }

    @Test
    void loadBalancerMinionsLiveInPublicSubnetsAndGetAPoolOfTaggedElasticIps() {
        template.resourceCountIs("AWS::EC2::EIP", 3 + 3);
        template.resourcePropertiesCountIs("AWS::EC2::EIP", Map.of("Domain", "vpc", "Tags", Match.arrayWith(List.of(
                Map.of("Key", "kubecdk:eip-pool", "Value", "prod-ingress")))), 3);
        template.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData", Match.objectLike(Map.of(
                "NetworkInterfaces", List.of(Match.objectLike(Map.of("AssociatePublicIpAddress", true, "DeviceIndex", 0)))))));
        template.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", Map.of("MinSize", "1", "MaxSize", "2",
                "Tags", Match.arrayWith(List.of(Map.of("Key", "kubecdk:group", "PropagateAtLaunch", true, "Value", "ingress"))),
                "VPCZoneIdentifier", Match.arrayWith(List.of(Map.of("Ref", Match.stringLikeRegexp(".*PublicSubnet1Subnet.*"))))));
        template.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", Map.of("MinSize", "2", "MaxSize", "5",
                "DesiredCapacity", Match.absent(),
                "VPCZoneIdentifier", Match.arrayWith(List.of(Map.of("Ref", Match.stringLikeRegexp(".*PrivateSubnet1Subnet.*"))))));
    }

    @Test
    void onlyLoadBalancerMinionsMayAssociateAddressesAndOnlyFromTheirPool() {
        Capture statements = new Capture();
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement", statements),
                "Roles", List.of(Map.of("Ref", Match.stringLikeRegexp("ClusterRolesRoleingress.*")))));
        assertThat(statements.asArray()).anySatisfy(s -> assertThat(cast(s)).containsEntry("Action", (Object) "ec2:AssociateAddress")
                .containsEntry("Condition", (Object) Map.of("StringEquals", Map.of("aws:ResourceTag/kubecdk:eip-pool", "prod-ingress"))));
        long associating = template.findResources("AWS::IAM::Policy").values().stream()
                .filter(p -> p.toString().contains("ec2:AssociateAddress")).count();
        assertThat(associating).isEqualTo(1);
    }

    @Test
    void noRoleMayWriteAnythingWithAWildcardResource() {
        for (Map<String, Object> policy : template.findResources("AWS::IAM::Policy").values()) {
            List<Object> statements = list(cast(props(policy).get("PolicyDocument")).get("Statement"));
            for (Object o : statements) {
                Map<String, Object> s = cast(o);
                if ("*".equals(s.get("Resource"))) {
                    assertThat(actions(s)).allSatisfy(a -> assertThat(a).matches("(ec2|route53):(Describe|List|Get).*"));
                }
            }
        }
    }

    @Test
    void nodesUseSessionManagerAndRegisterOnlyInTheirPrivateZone() {
        template.resourcePropertiesCountIs("AWS::IAM::Role", Map.of("ManagedPolicyArns", List.of(Map.of("Fn::Join",
                List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                        ":iam::aws:policy/AmazonSSMManagedInstanceCore"))))), 3);
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Sid", "RegisterInPrivateZone",
                        "Action", List.of("route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"))))))));
    }

    @Test
    void onlyMastersMayWriteEtcdBackups() {
        long writers = template.findResources("AWS::IAM::Policy").values().stream()
                .filter(p -> p.toString().contains("s3:PutObject") && p.toString().contains("etcd-backups/*")).count();
        assertThat(writers).isEqualTo(1);
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("Roles", List.of(Map.of("Ref",
                Match.stringLikeRegexp("ClusterRolesMasterRole.*"))), "PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Sid", "WriteBackupsAndJoinData")))))));
    }

    @Test
    void thePrivateZoneAliasesMasterToTheLoadBalancerAndThePublicZoneGetsItsRecord() {
        template.hasResourceProperties("AWS::Route53::HostedZone", Map.of("Name", "prod.kube.",
                "VPCs", List.of(Match.objectLike(Map.of("VPCRegion", "eu-central-1")))));
        template.hasResourceProperties("AWS::Route53::RecordSet", Map.of("Name", "master.prod.kube.", "Type", "A",
                "AliasTarget", Match.objectLike(Map.of("DNSName", Match.anyValue()))));
        template.hasResourceProperties("AWS::Route53::RecordSet", Map.of("Name", "master.prod.example.com.", "Type", "A",
                "HostedZoneId", "Z0123456789EXAMPLE"));
    }

    @Test
    void outputsNameTheApiTheBucketTheZoneAndTheVpc() {
        template.hasOutput("ApiEndpoint", Map.of("Value", "https://master.prod.kube:6443"));
        template.hasOutput("PublicApiEndpoint", Map.of("Value", "https://master.prod.example.com:6443"));
        for (String output : List.of("ScriptBucketName", "PrivateZoneId", "VpcId", "ApiLoadBalancerDnsName")) {
            template.hasOutput(output, Map.of());
        }
    }

    @Test
    void userDataWritesTheEnvironmentFileWithTheClustersDeployedNames() {
        String master = userData("ClusterMasterGroup");
        assertThat(master).startsWith("#!/usr/bin/env bash\n")
                .contains("env_line API_ENDPOINT 'master.prod.kube:6443'")
                .contains("env_line KUBERNETES_RELEASE 'v1.34'")
                .contains("env_line SCRIPTS_BUCKET '${Ref:ClusterScriptBucket")
                .contains("env_line ZONE_ID '${Ref:ClusterDnsPrivateZone")
                .contains("exec bash \"${ROOT}/opt/kubecdk/scripts/bootstrap-master.sh\"");
        assertThat(userData("ClusterMinionsworkers")).contains("env_line NODE_LABELS 'tier=app'")
                .contains("env_line NODE_ROLE 'worker'").doesNotContain("EIP_POOL");
        assertThat(userData("ClusterMinionsingress")).contains("env_line EIP_POOL 'prod-ingress'")
                .contains("env_line NODE_ROLE 'loadbalancer'");
    }

    @Test
    void everyResourceCarriesTheEnvironmentAndClusterTags() {
        template.hasResourceProperties("AWS::EC2::VPC", Map.of("Tags", Match.arrayWith(List.of(
                Map.of("Key", "Environment", "Value", "prod"),
                Map.of("Key", "kubecdk:environment", "Value", "prod"),
                Map.of("Key", "kubernetes.io/cluster/kubecdk-prod", "Value", "owned")))));
    }

    @Test
    void awsSolutionsChecksAndKubecdkRulesFindNothingUnsuppressed() {
        List<String> findings = SecurityFindings.of(stack);
        assertThat(findings).as(String.join("\n", findings)).isEmpty();
    }

    @Test
    void theScriptBucketLogsItsAccessesToADedicatedBucket() {
        template.resourceCountIs("AWS::S3::Bucket", 2);
        template.hasResourceProperties("AWS::S3::Bucket", Map.of("LoggingConfiguration", Map.of(
                "DestinationBucketName", Map.of("Ref", Match.stringLikeRegexp("ClusterScriptBucketAccessLogs.*")),
                "LogFilePrefix", "script-bucket/")));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("Bucket", Map.of("Ref",
                Match.stringLikeRegexp("ClusterScriptBucketAccessLogs.*")), "PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Allow", "Action", "s3:PutObject",
                        "Principal", Map.of("Service", "logging.s3.amazonaws.com"))))))));
    }

    @Test
    void gettersExposeWhatAnImportingAppNeeds() {
        KubernetesCluster cluster = stack.getCluster();
        assertThat(cluster.getMinionGroups()).containsOnlyKeys("workers", "arm", "ingress");
        assertThat(cluster.getMinionGroup("ingress").getElasticIpPool()).isPresent();
        assertThat(cluster.getMinionGroup("workers").getElasticIpPool()).isEmpty();
        assertThat(cluster.getSecurityGroups().nodeGroups()).hasSize(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cluster.getMinionGroup("gpu"))
                .hasMessage("no minion group 'gpu'; groups: [workers, arm, ingress]");
    }

    private static List<String> expectedIngress() {
        List<String> expected = new ArrayList<>();
        expected.add("ApiLoadBalancer tcp 6443 from 10.30.0.0/16");
        expected.add("ApiLoadBalancer tcp 6443 from 198.51.100.0/24");
        expected.add("Master tcp 6443 from 10.30.0.0/16");
        expected.add("Master tcp 6443 from sg:ApiLoadBalancer");
        expected.add("Master tcp 2379-2380 from sg:Master");
        List<String> nodes = List.of("Master", "Minion", "LoadBalancerMinion");
        for (String to : nodes) {
            for (String from : nodes) {
                expected.add(to + " tcp 10250 from sg:" + from);
                expected.add(to + " udp 4789 from sg:" + from);
                expected.add(to + " tcp 5473 from sg:" + from);
            }
            expected.add(to + " tcp 22 from 192.0.2.0/24");
        }
        expected.add("Minion tcp 30000-32767 from sg:LoadBalancerMinion");
        expected.add("LoadBalancerMinion tcp 80 from 0.0.0.0/0");
        expected.add("LoadBalancerMinion tcp 443 from 0.0.0.0/0");
        return expected;
    }

    /** Every ingress rule of the template, inline or standalone, as "group protocol ports from source". */
    private static List<String> ingressRules() {
        Map<String, Map<String, Object>> groups = template.findResources("AWS::EC2::SecurityGroup");
        List<String> rules = new ArrayList<>();
        groups.forEach((id, group) -> {
            Object inline = props(group).get("SecurityGroupIngress");
            if (inline != null) {
                for (Object rule : (List<?>) inline) {
                    rules.add(rule(groupName(id), cast(rule)));
                }
            }
        });
        template.findResources("AWS::EC2::SecurityGroupIngress").values().forEach(r -> {
            Map<String, Object> p = props(r);
            Map<String, Object> groupId = cast(p.get("GroupId"));
            rules.add(rule(groupName((String) ((List<?>) groupId.get("Fn::GetAtt")).get(0)), p));
        });
        return rules;
    }

    private static String rule(String group, Map<String, Object> r) {
        Object from = r.get("FromPort");
        Object to = r.get("ToPort");
        String ports = from.equals(to) ? String.valueOf(from) : from + "-" + to;
        String source;
        if (r.containsKey("CidrIp")) {
            source = r.get("CidrIp") instanceof String s ? s : "the VPC";
        } else if (r.containsKey("CidrIpv6")) {
            source = (String) r.get("CidrIpv6");
        } else {
            List<?> getAtt = (List<?>) cast(r.get("SourceSecurityGroupId")).get("Fn::GetAtt");
            source = "sg:" + groupName((String) getAtt.get(0));
        }
        return group + " " + r.get("IpProtocol") + " " + ports + " from " + source;
    }

    private static String groupName(String logicalId) {
        for (String name : List.of("ApiLoadBalancer", "LoadBalancerMinion", "Master", "Minion")) {
            if (logicalId.startsWith("ClusterSecurityGroups" + name)) {
                return name;
            }
        }
        return logicalId;
    }

    /** The decoded user-data of the launch template whose logical id starts so, with tokens as ${Ref:...}. */
    private static String userData(String logicalIdPrefix) {
        return StackSnapshot.of(stack).maskOtherHashes(false).files().entrySet().stream()
                .filter(e -> e.getKey().startsWith(logicalIdPrefix) && e.getKey().endsWith(StackSnapshot.USER_DATA_SUFFIX))
                .map(Map.Entry::getValue)
                .findFirst().orElseThrow();
    }

    private static List<String> actions(Map<String, Object> statement) {
        Object a = statement.get("Action");
        return a instanceof String s ? List.of(s) : list(a).stream().map(String::valueOf).toList();
    }

    private static Map<String, Object> props(Map<String, Object> resource) {
        return cast(resource.get("Properties"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}
