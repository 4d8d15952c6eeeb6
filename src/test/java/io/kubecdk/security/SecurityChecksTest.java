package io.kubecdk.security;

import io.kubecdk.ClusterStack;
import io.kubecdk.config.EnvironmentConfig;
import io.kubecdk.spec.AccessSpec;
import io.kubecdk.spec.ClusterSpec;
import io.kubecdk.spec.MasterSpec;
import io.kubecdk.spec.MinionGroupSpec;
import io.kubecdk.spec.NodeRole;
import io.kubecdk.testsupport.Scenarios;
import io.kubecdk.testsupport.SecurityFindings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AspectOptions;
import software.amazon.awscdk.AspectPriority;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.CfnLaunchTemplate;
import software.amazon.awscdk.services.ec2.CfnSecurityGroupIngress;
import software.amazon.awscdk.services.ec2.CfnVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.LaunchTemplateHttpTokens;
import software.amazon.awscdk.services.ec2.LaunchTemplateRequireImdsv2Aspect;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.iam.CfnRole;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cdk-nag's AWS Solutions checks and kubecdk's {@link ClusterSecurityRules}: every scenario is clean, and
 * each rule fires on a stack broken on purpose.
 */
class SecurityChecksTest {
    private static Stack broken;

    @BeforeAll
    static void buildBrokenStack() {
        broken = new Stack(new App(), "Broken", StackProps.builder()
                .env(Environment.builder().region("eu-west-1").account("123456789012").build()).build());
        Vpc vpc = Vpc.Builder.create(broken, "Vpc").maxAzs(1).natGateways(0).restrictDefaultSecurityGroup(false).build();
        SecurityGroup web = SecurityGroup.Builder.create(broken, "Web").vpc(vpc).build();
        web.addIngressRule(Peer.anyIpv4(), Port.tcp(443), "allowed: HTTPS to the web group");
        web.addIngressRule(Peer.anyIpv4(), Port.tcp(22), "not allowed: SSH from anywhere");
        SecurityGroup other = SecurityGroup.Builder.create(broken, "Other").vpc(vpc).build();
        CfnSecurityGroupIngress.Builder.create(broken, "OpenIpv6").groupId(other.getSecurityGroupId())
                .ipProtocol("-1").cidrIpv6("::/0").build();
        // requireImdsv2 is off and the root volume is not encrypted
        LaunchTemplate.Builder.create(broken, "Imdsv1").instanceType(new InstanceType("t3.micro"))
                .httpTokens(LaunchTemplateHttpTokens.OPTIONAL)
                .blockDevices(List.of(BlockDevice.builder().deviceName("/dev/xvda")
                        .volume(BlockDeviceVolume.ebs(8, EbsDeviceOptions.builder().encrypted(false).build())).build()))
                .build();
        CfnLaunchTemplate.Builder.create(broken, "NoMetadataOptions")
                .launchTemplateData(CfnLaunchTemplate.LaunchTemplateDataProperty.builder().instanceType("t3.micro").build())
                .build();
        CfnVolume.Builder.create(broken, "PlainVolume").availabilityZone("eu-west-1a").size(10).build();
        CfnVolume.Builder.create(broken, "EncryptedVolume").availabilityZone("eu-west-1a").size(10).encrypted(true).build();
        Role role = Role.Builder.create(broken, "Role").assumedBy(new ServicePrincipal("ec2.amazonaws.com")).build();
        role.addToPolicy(PolicyStatement.Builder.create().sid("DescribeIsFine").actions(List.of("ec2:DescribeInstances"))
                .resources(List.of("*")).build());
        role.addToPolicy(PolicyStatement.Builder.create().sid("WriteEverywhere").actions(List.of("s3:PutObject"))
                .resources(List.of("*")).build());
        CfnRole.Builder.create(broken, "InlineRole")
                .assumeRolePolicyDocument(Map.of("Version", "2012-10-17", "Statement", List.of(Map.of("Effect", "Allow",
                        "Principal", Map.of("Service", "ec2.amazonaws.com"), "Action", "sts:AssumeRole"))))
                .policies(List.of(CfnRole.PolicyProperty.builder().policyName("inline").policyDocument(Map.of(
                        "Version", "2012-10-17", "Statement", List.of(Map.of("Effect", "Allow",
                                "Action", List.of("s3:GetObject", "sqs:SendMessage"), "Resource", "*")))).build()))
                .build();
        ManagedPolicy.Builder.create(broken, "Managed").statements(List.of(PolicyStatement.Builder.create()
                .actions(List.of("ec2:*")).resources(List.of("*")).build())).build();
        Bucket.Builder.create(broken, "OpenBucket").blockPublicAccess(BlockPublicAccess.BLOCK_ACLS).build();
        Bucket.Builder.create(broken, "SafeBucket").blockPublicAccess(BlockPublicAccess.BLOCK_ALL).enforceSsl(true).build();
        Aspects.of(broken).add(ClusterSecurityRules.builder().allowPublicIngress(web, 443).build());
        Template.fromStack(broken);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "staging", "prod", "internal-api"})
    void everyScenarioPassesAwsSolutionsAndKubecdkRulesClean(String scenario) {
        List<String> findings = SecurityFindings.of(Scenarios.stacks().get(scenario));
        assertThat(findings).as("unsuppressed findings of %s:%n%s", scenario, String.join("\n", findings)).isEmpty();
    }

    @Test
    void aPublicApiOpenToTheInternetAndSshFromAnywhereAreCleanOnlyBecauseTheSpecSaysSo() {
        ClusterSpec spec = ClusterSpec.builder("open").region("us-east-1")
                .master(MasterSpec.builder().publicApi(true).build())
                .minionGroup(MinionGroupSpec.builder("edge").role(NodeRole.LOADBALANCER).minSize(1).maxSize(1).build())
                .access(new AccessSpec(List.of("0.0.0.0/0"), true))
                .build();
        ClusterStack stack = SecurityFindings.withNag(new ClusterStack(new App(), "kubecdk-open", spec));
        List<String> findings = SecurityFindings.of(stack);
        assertThat(findings).as(String.join("\n", findings)).isEmpty();
        Template.fromStack(stack).hasResourceProperties("AWS::EC2::SecurityGroup", Map.of("SecurityGroupIngress",
                Match.arrayWith(List.of(Match.objectLike(Map.of("CidrIp", "0.0.0.0/0", "FromPort", 6443))))));
    }

    @Test
    void imdsv2FiresOnALaunchTemplateWithoutRequiredTokens() {
        assertThat(errors(ClusterSecurityRules.IMDSV2)).containsExactlyInAnyOrder(
                "/Broken/Imdsv1/Resource", "/Broken/NoMetadataOptions");
    }

    @Test
    void ebsEncryptionFiresOnAnUnencryptedBlockDeviceAndVolume() {
        assertThat(errors(ClusterSecurityRules.EBS_ENCRYPTION)).containsExactlyInAnyOrder(
                "/Broken/Imdsv1/Resource", "/Broken/PlainVolume");
    }

    @Test
    void publicIngressFiresOnEveryOpenPortButTheAllowedOne() {
        assertThat(errors(ClusterSecurityRules.PUBLIC_INGRESS)).containsExactlyInAnyOrder(
                "/Broken/Web/Resource", "/Broken/OpenIpv6");
        assertThat(messages(ClusterSecurityRules.PUBLIC_INGRESS)).anySatisfy(m -> assertThat(m)
                .contains("tcp 22 from 0.0.0.0/0")).noneSatisfy(m -> assertThat(m).contains("443"));
    }

    @Test
    void iamWildcardWriteFiresOnWriteActionsButNotOnDescribe() {
        assertThat(errors(ClusterSecurityRules.IAM_WILDCARD_WRITE)).containsExactlyInAnyOrder(
                "/Broken/Role/DefaultPolicy/Resource", "/Broken/Managed/Resource", "/Broken/InlineRole");
        assertThat(messages(ClusterSecurityRules.IAM_WILDCARD_WRITE)).anySatisfy(m -> assertThat(m)
                .contains("WriteEverywhere allows s3:PutObject")).noneSatisfy(m -> assertThat(m).contains("DescribeIsFine"))
                .anySatisfy(m -> assertThat(m).contains("allows sqs:SendMessage on resource '*'").doesNotContain("s3:GetObject"));
    }

    @Test
    void bucketRulesFireOnABucketWithoutTlsEnforcementOrFullPublicAccessBlock() {
        assertThat(errors(ClusterSecurityRules.BUCKET_TLS)).containsExactly("/Broken/OpenBucket/Resource");
        assertThat(errors(ClusterSecurityRules.BUCKET_PUBLIC_ACCESS)).containsExactly("/Broken/OpenBucket/Resource");
    }

    @Test
    void aClusterStackJudgesEverythingInItIncludingWhatItsUserAdds() {
        ClusterStack stack = new ClusterStack(new App(), "kubecdk-dev", EnvironmentConfig.readAll(
                Scenarios.cdkJsonContext().get("environments"), "environments").get("dev"));
        Bucket.Builder.create(stack, "UsersOwnBucket").build();
        assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("Kubecdk-.*"))
                .stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList())
                .containsExactlyInAnyOrder(
                        "/kubecdk-dev/UsersOwnBucket/Resource " + ClusterSecurityRules.BUCKET_PUBLIC_ACCESS
                                + ": bucket does not block public access (PublicAccessBlockConfiguration.BlockPublicAcls must be true).",
                        "/kubecdk-dev/UsersOwnBucket/Resource " + ClusterSecurityRules.BUCKET_TLS + ": bucket policy does not "
                                + "deny requests without TLS (a Deny statement with Condition Bool aws:SecureTransport false; "
                                + "enforceSSL on the L2 bucket).");
    }

    @Test
    void theRulesJudgeWhatMutatingAspectsLeaveNotWhatTheyFind() {
        Stack stack = new Stack(new App(), "Mutated");
        LaunchTemplate.Builder.create(stack, "Fixed").httpTokens(LaunchTemplateHttpTokens.OPTIONAL).build();
        LaunchTemplate.Builder.create(stack, "Unfixed").httpTokens(LaunchTemplateHttpTokens.OPTIONAL).build();
        // added at the stack, so visited before the aspect below, which mutates one launch template
        Aspects.of(stack).add(ClusterSecurityRules.builder().build(),
                AspectOptions.builder().priority(AspectPriority.READONLY).build());
        Aspects.of(stack.getNode().findChild("Fixed")).add(new LaunchTemplateRequireImdsv2Aspect());
        assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp(ClusterSecurityRules.IMDSV2 + ".*"))
                .stream().map(SynthesisMessage::getId)).containsExactly("/Mutated/Unfixed/Resource");
    }

    @Test
    void applyToFindsWhatTheAspectFindsAndSynthesizingAgainReportsNothingTwice() {
        App app = new App();
        Stack stack = new Stack(app, "Applied");
        SecurityGroup group = SecurityGroup.Builder.create(stack, "Group")
                .vpc(Vpc.Builder.create(stack, "Vpc").maxAzs(1).natGateways(0).build()).build();
        group.addIngressRule(Peer.anyIpv4(), Port.tcp(22), "SSH from anywhere");
        ClusterSecurityRules.builder().build().applyTo(stack);
        app.synth();
        List<String> found = Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("Kubecdk-.*"))
                .stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList();
        assertThat(found).containsExactly("/Applied/Group/Resource " + ClusterSecurityRules.PUBLIC_INGRESS
                + ": security group allows tcp 22 from 0.0.0.0/0; only the ports allowed with allowPublicIngress may be "
                + "open to anywhere.");
    }

    private static List<String> errors(String rule) {
        return found(rule).stream().map(SynthesisMessage::getId).toList();
    }

    private static List<String> messages(String rule) {
        return found(rule).stream().map(m -> String.valueOf(m.getEntry().getData())).toList();
    }

    private static List<SynthesisMessage> found(String rule) {
        return Annotations.fromStack(broken).findError("*", Match.stringLikeRegexp(rule + ": .*"));
    }
}
