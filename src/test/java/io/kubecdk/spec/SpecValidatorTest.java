package io.kubecdk.spec;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecValidatorTest {

    private static ClusterSpec.Builder valid() {
        return ClusterSpec.builder("dev").region("eu-west-1")
                .minionGroup(MinionGroupSpec.builder("workers").build())
                .minionGroup(MinionGroupSpec.builder("ingress").role(NodeRole.LOADBALANCER).maxSize(2).build());
    }

    @Test
    void aSpecLeftAtItsDefaultsIsValidAndResolvesZonesAndNames() {
        ClusterSpec spec = valid().build();
        assertThat(spec.availabilityZones()).containsExactly("eu-west-1a", "eu-west-1b", "eu-west-1c");
        assertThat(spec.clusterName()).isEqualTo("kubecdk-dev");
        assertThat(spec.privateZoneName()).isEqualTo("dev.kube");
        assertThat(spec.apiHostName()).isEqualTo("master.dev.kube");
        assertThat(spec.kubernetes().release()).isEqualTo("v1.34");
        assertThat(spec.minionGroup("ingress")).get().extracting(MinionGroupSpec::elasticIps).isEqualTo(2);
        assertThat(spec.master().apiAccessCidrs()).isEmpty();
    }

    @Test
    void aPublicApiIsOpenToEveryoneUnlessNetworksAreNamed() {
        assertThat(MasterSpec.builder().publicApi(true).build().apiAccessCidrs()).containsExactly("0.0.0.0/0");
        assertThat(MasterSpec.builder().publicApi(true).apiAccessCidrs(List.of("198.51.100.0/24")).build()
                .apiAccessCidrs()).containsExactly("198.51.100.0/24");
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPathValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> ClusterSpec.builder("Dev_1").region("eu-west-1")
                .network(NetworkSpec.builder().vpcCidr("10.0.0.1/16").natGateways(2).build())
                .minionGroup(MinionGroupSpec.builder("workers").minSize(3).maxSize(2).build())
                .build("environments.dev"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.problems())
                        .extracting(SpecProblem::toString)
                        .containsExactly(
                                "environments.dev.environment: 'Dev_1' must be a DNS label: lower-case letters, "
                                        + "digits and hyphens, starting and ending with a letter or digit",
                                "environments.dev.network.vpcCidr: '10.0.0.1/16' must be an IPv4 CIDR block with no "
                                        + "host bits set, such as 10.0.0.0/16",
                                "environments.dev.network.natGateways: 2 must be 3 (one per AZ) or 1 (shared)",
                                "environments.dev.minionGroups[0].maxSize: 2 is below minSize 3"))
                .hasMessageStartingWith("invalid cluster spec, 4 problems:");
    }

    @Test
    void zonesMustBeThreeDistinctZonesOfTheRegion() {
        assertThatThrownBy(() -> valid().availabilityZones(List.of("eu-west-1a", "eu-west-1a", "us-east-1b")).build())
                .hasMessageContaining("cluster.availabilityZones: [eu-west-1a, eu-west-1a, us-east-1b] must be distinct")
                .hasMessageContaining("cluster.availabilityZones[2]: 'us-east-1b' must be a zone of region eu-west-1");
        assertThatThrownBy(() -> valid().availabilityZones(List.of("eu-west-1a", "eu-west-1b")).build())
                .hasMessageContaining("must list exactly 3 availability zones, found 2");
    }

    @Test
    void theVpcMustHoldSixSubnets() {
        assertThatThrownBy(() -> valid().network(NetworkSpec.builder().vpcCidr("10.0.0.0/12").build()).build())
                .hasMessageContaining("cluster.network.vpcCidr: '10.0.0.0/12' prefix must be between /16 and /24");
        assertThatThrownBy(() -> valid().network(NetworkSpec.builder().vpcCidr("10.0.0.0/22").build()).build())
                .hasMessageContaining("cluster.network: '/24 and /20' subnet masks must be longer than the VPC's /22");
        assertThatThrownBy(() -> valid().network(NetworkSpec.builder().vpcCidr("10.0.0.0/19").build()).build())
                .hasMessageContaining("cluster.network.vpcCidr: '10.0.0.0/19' holds 8192 addresses but three /24 "
                        + "public and three /20 private subnets need 13056");
    }

    @Test
    void aCidrGivenAsAnUnresolvedTokenIsRejectedWithTheReason() {
        String token = software.amazon.awscdk.Fn.importValue("SharedVpcCidr");
        assertThatThrownBy(() -> valid().network(NetworkSpec.builder().vpcCidr(token).build()).build())
                .hasMessageContaining("cluster.network.vpcCidr: '" + token + "' is a CDK token, resolved only at deploy time");
    }

    @Test
    void podAndServiceRangesMustNotOverlapTheVpc() {
        assertThatThrownBy(() -> valid().kubernetes(KubernetesSpec.builder().podCidr("10.0.128.0/17").build()).build())
                .hasMessageContaining("cluster.kubernetes.podCidr: '10.0.128.0/17' overlaps the VPC's 10.0.0.0/16");
    }

    @Test
    void kubernetesVersionsOutsideTheSupportedRangeAreRejected() {
        assertThatThrownBy(() -> valid().kubernetes(KubernetesSpec.builder().version("1.29.3").build()).build())
                .hasMessageContaining("cluster.kubernetes.version: '1.29.3' is not supported; use 1.31.x to 1.35.x");
        assertThatThrownBy(() -> valid().kubernetes(KubernetesSpec.builder().version("v1.34").build()).build())
                .hasMessageContaining("'v1.34' must be major.minor.patch");
    }

    @Test
    void sshFromAnywhereNeedsAnExplicitYes() {
        assertThatThrownBy(() -> valid().access(AccessSpec.ssh(List.of("0.0.0.0/0"))).build())
                .hasMessageContaining("cluster.access.sshCidrs[0]: '0.0.0.0/0' opens SSH to the whole internet");
        assertThat(valid().access(new AccessSpec(List.of("0.0.0.0/0"), true)).build().access().sshCidrs())
                .containsExactly("0.0.0.0/0");
    }

    @Test
    void loadBalancerGroupsNeedAnAddressPerNodeAndWorkersNone() {
        assertThatThrownBy(() -> valid().minionGroup(MinionGroupSpec.builder("edge").role(NodeRole.LOADBALANCER)
                .maxSize(3).elasticIps(2).build()).build())
                .hasMessageContaining("cluster.minionGroups[2].elasticIps: 2 is smaller than maxSize 3");
        assertThatThrownBy(() -> valid().minionGroup(MinionGroupSpec.builder("batch").elasticIps(1).build()).build())
                .hasMessageContaining("cluster.minionGroups[2].elasticIps: 1 applies to load-balancer groups only");
    }

    @Test
    void groupNamesAreUniqueDnsLabelsAndLabelsAreKubernetesLabels() {
        assertThatThrownBy(() -> valid().minionGroup(MinionGroupSpec.builder("workers")
                .labels(Map.of("bad key!", "x")).build()).build())
                .hasMessageContaining("cluster.minionGroups[2].name: 'workers' is used by an earlier group")
                .hasMessageContaining("cluster.minionGroups[2].labels.bad key!: 'bad key!' is not a valid Kubernetes label key");
    }

    @Test
    void aPublicZoneNeedsBothIdAndDomain() {
        assertThatThrownBy(() -> valid().dns(new DnsSpec("Z0123456789EXAMPLE", null)).build())
                .hasMessageContaining("cluster.dns.publicDomain: null must be a lower-case domain name such as "
                        + "example.com whenever dns.publicZoneId is set");
    }

    @Test
    void cidrsParseStrictlyAndDetectOverlap() {
        assertThat(Cidr.parse("10.0.0.0/16")).get().hasToString("10.0.0.0/16");
        assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
        assertThat(Cidr.parse("256.0.0.0/8")).isEmpty();
        assertThat(Cidr.parse("10.0.0.0")).isEmpty();
        assertThat(Cidr.parse("10.1.0.0/16").orElseThrow().overlaps(Cidr.parse("10.0.0.0/8").orElseThrow())).isTrue();
        assertThat(Cidr.parse("10.1.0.0/16").orElseThrow().overlaps(Cidr.parse("10.2.0.0/16").orElseThrow())).isFalse();
    }
}
