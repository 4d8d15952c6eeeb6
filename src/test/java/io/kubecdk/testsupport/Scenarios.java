package io.kubecdk.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubecdk.ClusterApp;
import io.kubecdk.ClusterStack;
import io.kubecdk.spec.ClusterSpec;
import io.kubecdk.spec.MinionGroupSpec;
import io.kubecdk.spec.NetworkSpec;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot and security scenarios, each a stack built once per test JVM with cdk-nag's checks added:
 * every environment of {@code cdk.json} ({@code dev}, {@code staging}, {@code prod}) and
 * {@code internal-api} (API load balancer internal, no public zone, one worker group). The
 * {@code platform} scenario, a cluster in a user's own VPC, is the sample in {@code com.example.platform}.
 */
public final class Scenarios {
    /** Every scenario with a snapshot folder, including {@code platform}. */
    public static final List<String> ALL = List.of("dev", "staging", "prod", "internal-api", "platform");

    private static Map<String, ClusterStack> stacks;

    private Scenarios() { }

    /** @return the scenarios built here, by name, in {@link #ALL}'s order */
    public static synchronized Map<String, ClusterStack> stacks() {
        if (stacks == null) {
            Map<String, ClusterStack> built = new LinkedHashMap<>();
            App app = new App(AppProps.builder().context(cdkJsonContext()).build());
            ClusterApp.build(app).forEach((env, stack) -> built.put(env, SecurityFindings.withNag(stack)));
            ClusterSpec internal = ClusterSpec.builder("internal").region("us-west-2")
                    .availabilityZones(List.of("us-west-2a", "us-west-2b", "us-west-2c"))
                    .network(NetworkSpec.builder().vpcCidr("10.40.0.0/16").natGateways(1).build())
                    .minionGroup(MinionGroupSpec.builder("workers").minSize(1).maxSize(2).build())
                    .build();
            built.put("internal-api", SecurityFindings.withNag(new ClusterStack(new App(), "kubecdk-internal", internal)));
            stacks = built;
        }
        return stacks;
    }

    /** @return the {@code context} object of the project's {@code cdk.json} */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> cdkJsonContext() {
        ObjectMapper json = new ObjectMapper();
        try {
            return json.convertValue(json.readTree(new File("cdk.json")).get("context"), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
