package io.kubecdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.Processes;
import io.kubecdk.testsupport.Scenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cdk.json's build and app steps as the CDK CLI runs them ({@code bin/cdk-app}), on the project as
 * {@code mvn verify} leaves it: the first build compiles and writes {@code target/app/}, the first run
 * writes the class-data sharing archive, and with nothing changed the build calls no Maven at all.
 */
class CdkAppLauncherIT {
    private static final Path APP = Path.of("target", "app");

    @Test
    void buildsOnceRunsTwiceAndThenBuildsWithoutMaven(@TempDir Path out, @TempDir Path bin) throws Exception {
        Processes.run(List.of("rm", "-rf", APP.toString()), null, Map.of(), Duration.ofSeconds(30));
        ProcessResult built = step("build", Map.of());
        assertThat(built.exitCode()).as(built.describe()).isZero();
        assertThat(built.stdout()).as("stdout is the template's when cdk synth prints it").isEmpty();
        assertThat(APP.resolve("kubecdk.jar")).isRegularFile();

        Map<String, Object> context = new HashMap<>(Scenarios.cdkJsonContext());
        context.put("env", "dev");
        Map<String, String> env = Map.of("CDK_OUTDIR", out.toString(),
                "CDK_CONTEXT_JSON", new ObjectMapper().writeValueAsString(context),
                "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        ProcessResult first = step("run", env);
        assertThat(first.exitCode()).as(first.describe()).isZero();
        assertThat(APP.resolve("classes.jsa")).as("the first run writes the archive").isRegularFile();
        ProcessResult second = step("run", env);
        assertThat(second.exitCode()).as(second.describe()).isZero();
        assertThat(second.stdout() + second.stderr()).as("the JVM's own warnings stay quiet").isEmpty();
        assertThat(Files.readString(out.resolve("kubecdk-dev.template.json"))).contains("AWS::AutoScaling::AutoScalingGroup");

        // nothing changed: the build must not need Maven, so it succeeds with only these on the PATH
        for (String tool : List.of("bash", "dirname", "find")) {
            ProcessResult which = Processes.run(List.of("bash", "-c", "command -v " + tool), null, Map.of(),
                    Duration.ofSeconds(10));
            Files.createSymbolicLink(bin.resolve(tool), Path.of(which.stdout().strip()));
        }
        ProcessResult unchanged = step("build", Map.of("PATH", bin.toString()));
        assertThat(unchanged.exitCode()).as(unchanged.describe()).isZero();
        assertThat(APP.resolve("classes.jsa")).as("an unchanged build keeps the archive").isRegularFile();
    }

    private static ProcessResult step(String step, Map<String, String> env) {
        return Processes.run(List.of("bin/cdk-app", step), null, env, Duration.ofMinutes(5));
    }
}
