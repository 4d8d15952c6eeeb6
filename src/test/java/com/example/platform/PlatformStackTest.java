package com.example.platform;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformStackTest {
    private static PlatformStack stack;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        stack = new PlatformStack(new App(), "Platform");
        Aspects.of(stack).add(new AwsSolutionsChecks());
        Aspects.of(stack).add(stack.getCluster().securityRules());
        template = Template.fromStack(stack);
    }

    @Test
    void theClusterIsBuiltInTheUsersVpcWithoutASecondOne() {
        template.resourceCountIs("AWS::EC2::VPC", 1);
        template.resourceCountIs("AWS::EC2::NatGateway", 1);
        assertThat(stack.getCluster().getVpc().getNode().getPath()).isEqualTo("Platform/SharedVpc");
        template.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of("SecurityGroupIngress", Match.arrayWith(
                List.of(Match.objectLike(Map.of("FromPort", 6443, "CidrIp", Map.of("Fn::GetAtt",
                        List.of(Match.stringLikeRegexp("SharedVpc.*"), "CidrBlock"))))))));
    }

    @Test
    void theMasterAndWorkersRunInTheUsersPrivateSubnets() {
        template.resourceCountIs("AWS::AutoScaling::AutoScalingGroup", 2);
        template.resourcePropertiesCountIs("AWS::AutoScaling::AutoScalingGroup", Map.of("VPCZoneIdentifier",
                List.of(Map.of("Ref", Match.stringLikeRegexp("SharedVpcPrivateSubnet1.*")),
                        Map.of("Ref", Match.stringLikeRegexp("SharedVpcPrivateSubnet2.*")),
                        Map.of("Ref", Match.stringLikeRegexp("SharedVpcPrivateSubnet3.*")))), 2);
        template.hasResourceProperties("AWS::Route53::HostedZone", Map.of("Name", "platform.kube."));
    }

    @Test
    void awsSolutionsChecksAndKubecdkRulesFindNothingUnsuppressed() {
        Annotations annotations = Annotations.fromStack(stack);
        for (String pattern : List.of("AwsSolutions-.*", "CdkNagValidationFailure.*", "Kubecdk-.*")) {
            assertThat(annotations.findError("*", Match.stringLikeRegexp(pattern))).isEmpty();
            assertThat(annotations.findWarning("*", Match.stringLikeRegexp(pattern))).isEmpty();
        }
    }

    @Test
    void theApiIsInternalByDefault() {
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of("Scheme", "internal"));
        template.resourcePropertiesCountIs("AWS::EC2::SecurityGroup", Map.of("SecurityGroupIngress",
                Match.arrayWith(List.of(Match.objectLike(Map.of("CidrIp", "0.0.0.0/0", "FromPort", 6443))))), 0);
    }
}
