package io.kubecdk.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubecdk.ClusterApp;
import io.kubecdk.ClusterStack;
import io.kubecdk.testsupport.Scenarios;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every environment of {@code cdk.json}, synthesized once into a folder, as the CDK CLI would. */
final class SynthesizedEnvironments {
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One environment's synthesized stack.
     *
     * @param environment the environment's name, e.g. {@code dev}
     * @param stackName   the stack's name, e.g. {@code kubecdk-dev}
     * @param region      the stack's region
     * @param templateFile the synthesized template
     * @param template    the template's JSON
     */
    record Synthesized(String environment, String stackName, String region, Path templateFile, JsonNode template) {
    }

    private SynthesizedEnvironments() {
    }

    /** Synthesizes an app whose context is cdk.json's context into OUTDIR. */
    static Map<String, Synthesized> synthesize(Path outdir) {
        try {
            Map<String, Object> context = Scenarios.cdkJsonContext();
            App app = new App(AppProps.builder().context(context).outdir(outdir.toString()).build());
            Map<String, ClusterStack> stacks = ClusterApp.build(app);
            app.synth();
            Map<String, Synthesized> result = new LinkedHashMap<>();
            for (Map.Entry<String, ClusterStack> e : stacks.entrySet()) {
                String stackName = e.getValue().getStackName();
                Path file = outdir.resolve(stackName + ".template.json");
                result.put(e.getKey(), new Synthesized(e.getKey(), stackName,
                        e.getValue().getCluster().getSpec().region(), file, JSON.readTree(file.toFile())));
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
