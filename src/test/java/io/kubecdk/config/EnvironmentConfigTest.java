package io.kubecdk.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubecdk.spec.ClusterSpec;
import io.kubecdk.spec.InvalidSpecException;
import io.kubecdk.spec.NodeRole;
import io.kubecdk.spec.PodNetwork;
import io.kubecdk.spec.SpecProblem;
import io.kubecdk.testsupport.Scenarios;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Object json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void theEnvironmentsOfCdkJsonAreValidAndDifferAsRealOnesDo() throws Exception {
        Object environments = Scenarios.cdkJsonContext().get("environments");
        Map<String, ClusterSpec> specs = EnvironmentConfig.readAll(environments, "environments");
        assertThat(specs).containsOnlyKeys("dev", "staging", "prod");
        assertThat(specs.get("dev").network().natGateways()).isEqualTo(1);
        assertThat(specs.get("prod").network().natGateways()).isEqualTo(3);
        assertThat(specs.get("prod").account()).isEqualTo("123456789012");
        assertThat(specs.get("prod").minionGroup("ingress").orElseThrow().role()).isEqualTo(NodeRole.LOADBALANCER);
        assertThat(specs.get("dev").master().instanceType()).isNotEqualTo(specs.get("prod").master().instanceType());
    }

    @Test
    void valuesMapOntoTheSpec() throws Exception {
        ClusterSpec spec = EnvironmentConfig.read("qa", json("{'region':'us-west-2','kubernetes':{'podNetwork':'cilium'},"
                + "'minionGroups':[{'name':'gpu','instanceType':'g5.xlarge','labels':{'gpu':'true'},'desiredCapacity':2}]}"),
                "environments.qa");
        assertThat(spec.availabilityZones()).containsExactly("us-west-2a", "us-west-2b", "us-west-2c");
        assertThat(spec.kubernetes().podNetwork()).isEqualTo(PodNetwork.CILIUM);
        assertThat(spec.minionGroups()).singleElement().satisfies(g -> {
            assertThat(g.instanceType()).isEqualTo("g5.xlarge");
            assertThat(g.labels()).containsEntry("gpu", "true");
            assertThat(g.desiredCapacity()).isEqualTo(2);
        });
    }

    @Test
    void unknownKeysSuggestTheNearestKnownKey() {
        assertThatThrownBy(() -> EnvironmentConfig.read("prod", json("{'region':'eu-west-1','minionGroup':[]}"),
                "environments.prod"))
                .hasMessageContaining("environments.prod.minionGroup: unknown key 'minionGroup' in environments.prod; "
                        + "did you mean 'minionGroups'?");
    }

    @Test
    void wrongTypesNameBothTheValueAndTheExpectedType() {
        assertThatThrownBy(() -> EnvironmentConfig.read("prod", json("{'region':'eu-west-1','minionGroups':"
                + "[{'name':'workers','maxSize':'three'}],'kubernetes':{'podNetwork':'weave'}}"), "environments.prod"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.problems())
                        .extracting(SpecProblem::toString)
                        .contains("environments.prod.minionGroups[0].maxSize: the string 'three' must be a whole number",
                                "environments.prod.kubernetes.podNetwork: 'weave' must be one of calico, flannel, cilium"));
    }

    @Test
    void problemsOfEveryEnvironmentAreCollected() {
        assertThatThrownBy(() -> EnvironmentConfig.readAll(json("{'a':{'region':'nowhere'},'b':{'natGateways':1}}"),
                "environments"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.problems())
                        .extracting(SpecProblem::path)
                        .contains("environments.a.region", "environments.b.natGateways"));
    }

    @Test
    void aGroupWithoutANameIsReported() {
        assertThatThrownBy(() -> EnvironmentConfig.read("dev", json("{'minionGroups':[{'maxSize':2}]}"),
                "environments.dev"))
                .hasMessageContaining("environments.dev.minionGroups[0].name: is required");
    }
}
