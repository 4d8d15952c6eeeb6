package io.kubecdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubecdk.spec.InvalidSpecException;
import io.kubecdk.testsupport.Scenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.cxapi.CloudAssembly;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The app as the CDK CLI runs it: every environment of cdk.json, with aws-cdk-lib's validation on. */
class ClusterAppTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, Object> context;
    private static JsonNode manifest;
    private static Path out;

    @BeforeAll
    static void synthesizeAllEnvironments(@TempDir Path dir) throws Exception {
        context = Scenarios.cdkJsonContext();
        out = dir;
        Map<String, Object> withNag = new HashMap<>(context);
        withNag.put(ClusterApp.NAG_CONTEXT, "true");
        App app = new App(AppProps.builder().context(withNag).outdir(dir.toString()).build());
        assertThat(ClusterApp.build(app)).containsOnlyKeys("dev", "staging", "prod");
        CloudAssembly assembly = app.synth();
        assertThat(assembly.getStacks()).hasSize(3);
        manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
    }

    @Test
    void everyEnvironmentSynthesizesWithoutAccountCredentialsOrLookups() {
        assertThat(manifest.has("missing")).as("missing context in manifest.json: %s", manifest.get("missing")).isFalse();
        for (String env : new String[] {"dev", "staging", "prod"}) {
            assertThat(out.resolve("kubecdk-" + env + ".template.json")).isRegularFile();
        }
    }

    @Test
    void templateValidationFindsNothingInAnyEnvironment() throws Exception {
        JsonNode report = JSON.readTree(out.resolve("validation-report.json").toFile());
        for (JsonNode plugin : report.get("pluginReports")) {
            assertThat(plugin.get("conclusion").asText()).as(plugin.toString()).isEqualTo("success");
            assertThat(plugin.get("violations")).as(plugin.toString()).isEmpty();
        }
    }

    /** With {@code -c nag=true}, so this also holds for cdk-nag's unsuppressed findings and kubecdk's rules. */
    @Test
    void noStackCarriesAWarningOrAnError() throws Exception {
        for (String env : new String[] {"dev", "staging", "prod"}) {
            JsonNode metadata = JSON.readTree(out.resolve("kubecdk-" + env + ".metadata.json").toFile());
            assertThat(metadata.size()).isPositive();
            metadata.forEach(entries -> entries.forEach(e -> assertThat(e.get("type").asText()).as(e.toString())
                    .isNotIn("aws:cdk:warning", "aws:cdk:error")));
        }
    }

    @Test
    void theEnvironmentsStayWithinCloudFormationsLimits() throws Exception {
        for (String env : new String[] {"dev", "staging", "prod"}) {
            File file = out.resolve("kubecdk-" + env + ".template.json").toFile();
            JsonNode template = JSON.readTree(file);
            System.out.printf("kubecdk-%s: %d resources, %d bytes%n", env, template.get("Resources").size(), file.length());
            assertThat(template.get("Resources").size()).isLessThan(500);
            assertThat(file.length()).isLessThan(1_000_000);
        }
    }

    @Test
    void envSelectsOneEnvironment() {
        Map<String, Object> only = new HashMap<>(context);
        only.put("env", "dev");
        App app = new App(AppProps.builder().context(only).build());
        assertThat(ClusterApp.build(app)).containsOnlyKeys("dev");
    }

    @Test
    void nagTrueAddsTheAwsSolutionsChecksToEveryStackAndItsAbsenceAddsNone() {
        Map<String, Object> nag = new HashMap<>(context);
        nag.put("nag", "true");
        ClusterApp.build(new App(AppProps.builder().context(nag).build())).values().forEach(stack ->
                assertThat(Aspects.of(stack).getAll()).anyMatch(AwsSolutionsChecks.class::isInstance));
        ClusterApp.build(new App(AppProps.builder().context(context).build())).values().forEach(stack ->
                assertThat(Aspects.of(stack).getAll()).noneMatch(AwsSolutionsChecks.class::isInstance));
    }

    @Test
    void anUnknownEnvironmentIsNamedWithTheDeclaredOnes() {
        Map<String, Object> wrong = new HashMap<>(context);
        wrong.put("env", "prd");
        App app = new App(AppProps.builder().context(wrong).build());
        assertThatThrownBy(() -> ClusterApp.build(app)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("env: 'prd' is not declared; environments: dev, staging, prod");
    }
}
