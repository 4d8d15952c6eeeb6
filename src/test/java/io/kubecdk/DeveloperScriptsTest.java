package io.kubecdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.Processes;
import io.kubecdk.testsupport.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scripts around the library, for the people who work on it: the CDK CLI's build and app steps
 * ({@code bin/cdk-app}), the benchmark and CI. They parse, are shellcheck clean, and cdk.json calls the
 * launcher.
 */
class DeveloperScriptsTest {

    @ParameterizedTest(name = "{0} parses and is shellcheck clean")
    @ValueSource(strings = {"bin/cdk-app", "bench/run", ".ci/run"})
    void parsesAndIsShellcheckClean(String script) {
        assertThat(Files.isExecutable(Path.of(script))).as("%s is executable", script).isTrue();
        ProcessResult parsed = Processes.run(List.of("bash", "-n", script), null, Map.of(), Duration.ofSeconds(30));
        assertThat(parsed.exitCode()).as(parsed.describe()).isZero();
        Tools.require("shellcheck");
        ProcessResult lint = Processes.run(List.of("shellcheck", "-x", "--severity=style", "--format=gcc", script),
                null, Map.of(), Duration.ofSeconds(60));
        assertThat(lint.exitCode()).as("shellcheck findings in %s:%n%s%s", script, lint.stdout(), lint.stderr()).isZero();
    }

    @Test
    void cdkJsonBuildsAndRunsTheAppThroughTheLauncher() throws Exception {
        var cdkJson = new ObjectMapper().readTree(new File("cdk.json"));
        assertThat(cdkJson.get("build").asText()).isEqualTo("bin/cdk-app build");
        assertThat(cdkJson.get("app").asText()).isEqualTo("bin/cdk-app run");
    }

    @Test
    void theLauncherNamesItsStepsWhenCalledWithoutOne() {
        ProcessResult result = Processes.run(List.of("bin/cdk-app"), null, Map.of(), Duration.ofSeconds(30));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("usage: bin/cdk-app build|run\n");
    }
}
