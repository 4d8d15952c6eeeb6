package io.kubecdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.Processes;
import io.kubecdk.testsupport.Scenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app as its own process, started the way the CDK CLI starts an app: the merged context of
 * {@code cdk.json} and {@code -c} options in {@code CDK_CONTEXT_JSON}, the output folder in {@code CDK_OUTDIR}.
 */
class ClusterAppProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBrokenEnvironmentEndsSynthWithTheListOfProblemsAndExitCode2(@TempDir Path out) throws Exception {
        ObjectNode context = JSON.valueToTree(Scenarios.cdkJsonContext());
        ObjectNode prod = context.with("environments").with("prod");
        prod.set("minionGroup", prod.remove("minionGroups"));
        prod.with("network").put("natGateways", 2);
        prod.with("master").put("rootVolumeSize", "fifty");
        context.put("env", "prod");

        ProcessResult result = runApp(context, out);

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(ClusterApp.INVALID_SPEC);
        assertThat(result.stderr()).contains("invalid cluster spec, 3 problems:\n",
                "  - environments.prod.minionGroup: unknown key 'minionGroup' in environments.prod; did you mean "
                        + "'minionGroups'?",
                "  - environments.prod.master.rootVolumeSize: the string 'fifty' must be a whole number",
                "  - environments.prod.network.natGateways: 2 must be 3 (one per AZ) or 1 (shared)");
        assertThat(result.stdout() + result.stderr()).doesNotContain("Exception", "\tat ", "jsii");
        try (var files = Files.list(out)) {
            assertThat(files.filter(f -> f.toString().endsWith(".template.json"))).isEmpty();
        }
    }

    @Test
    void aSpecFileKeptApartFromCdkJsonIsReadAsYaml(@TempDir Path out) throws Exception {
        Path spec = out.resolveSibling(out.getFileName() + "-clusters.yaml");
        Files.writeString(spec, String.join("\n",
                "environments:",
                "  qa:",
                "    region: us-west-2",
                "    minionGroups:",
                "      - name: workers",
                "        maxSize: 2",
                ""));
        ObjectNode context = JSON.createObjectNode().put("spec", spec.toString());

        ProcessResult result = runApp(context, out);

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(out.resolve("kubecdk-qa.template.json")).isRegularFile();
        assertThat(Files.readString(out.resolve("kubecdk-qa.template.json"))).contains("us-west-2a", "us-west-2c");
    }

    private static ProcessResult runApp(ObjectNode context, Path out) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> env = Map.of(
                "CDK_CONTEXT_JSON", JSON.writeValueAsString(context),
                "CDK_OUTDIR", out.toString(),
                "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        return Processes.run(List.of(java, "-cp", System.getProperty("java.class.path"), ClusterApp.class.getName()),
                null, env, Duration.ofMinutes(3));
    }
}
