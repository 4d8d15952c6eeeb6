package io.kubecdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.Processes;
import io.kubecdk.testsupport.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * The scripts around the library, for the people who work on it: the pinned CDK CLI ({@code bin/cdk}),
 * the CLI's build and app steps ({@code bin/cdk-app}), the benchmark and CI. They parse, are shellcheck
 * clean, cdk.json calls the launcher, and {@code bin/cdk} runs the pinned CLI from npx's cache when it is
 * there and through npx when it is not.
 */
class DeveloperScriptsTest {

    @ParameterizedTest(name = "{0} parses and is shellcheck clean")
    @ValueSource(strings = {"bin/cdk", "bin/cdk-app", "bench/run", ".ci/run"})
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
    void theCliRunsThePinnedVersionFromNpxsCacheAndOtherwiseThroughNpx(@TempDir Path cache, @TempDir Path bin)
            throws Exception {
        String pinned = Files.readAllLines(Path.of("bin/cdk")).stream().filter(l -> l.startsWith("readonly VERSION="))
                .findFirst().orElseThrow().substring("readonly VERSION=".length());
        fakeCachedCli(cache.resolve("_npx/older/node_modules/aws-cdk"), "2.1000.0");
        Files.writeString(bin.resolve("npx"), "#!/bin/sh\necho \"npx $*\"\n");
        assertThat(bin.resolve("npx").toFile().setExecutable(true)).isTrue();
        Map<String, String> env = Map.of("npm_config_cache", cache.toString(),
                "PATH", bin + File.pathSeparator + System.getenv("PATH"));

        ProcessResult fetched = Processes.run(List.of("bin/cdk", "synth", "-c", "env=dev"), null, env, Duration.ofSeconds(30));
        assertThat(fetched.stdout()).as(fetched.describe()).isEqualTo("npx --yes aws-cdk@" + pinned + " synth -c env=dev\n");

        Path cached = fakeCachedCli(cache.resolve("_npx/pinned/node_modules/aws-cdk"), pinned);
        ProcessResult direct = Processes.run(List.of("bin/cdk", "synth", "-c", "env=dev"), null, env, Duration.ofSeconds(30));
        assertThat(direct.stdout()).as(direct.describe()).isEqualTo(cached.resolve("bin/cdk") + " synth -c env=dev\n");
    }

    /** A package in npx's cache whose bin/cdk prints its own path and arguments. */
    private static Path fakeCachedCli(Path dir, String version) throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("package.json"), "{\n  \"name\": \"aws-cdk\",\n  \"version\": \"" + version + "\"\n}\n");
        Files.writeString(dir.resolve("bin/cdk"), "console.log([__filename, ...process.argv.slice(2)].join(' '));\n");
        return dir;
    }

    @Test
    void theLauncherNamesItsStepsWhenCalledWithoutOne() {
        ProcessResult result = Processes.run(List.of("bin/cdk-app"), null, Map.of(), Duration.ofSeconds(30));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("usage: bin/cdk-app build|run\n");
    }
}
