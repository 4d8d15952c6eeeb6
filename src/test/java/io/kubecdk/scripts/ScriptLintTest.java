package io.kubecdk.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.Processes;
import io.kubecdk.testsupport.ScriptSandbox;
import io.kubecdk.testsupport.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every script parses, is shellcheck clean (following sourced files) and keeps the house style. */
class ScriptLintTest {

    static Stream<Path> scripts() {
        return ScriptSandbox.projectScriptFiles().stream();
    }

    static Stream<Path> entryPoints() {
        return scripts().filter(p -> !p.getParent().getFileName().toString().equals("lib"));
    }

    @ParameterizedTest(name = "{0} parses with bash -n")
    @MethodSource("scripts")
    void parsesWithBash(Path script) {
        ProcessResult result = Processes.run(List.of("bash", "-n", script.toString()), null, Map.of(),
                Duration.ofSeconds(30));
        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @ParameterizedTest(name = "{0} is shellcheck clean")
    @MethodSource("scripts")
    void isShellcheckClean(Path script) {
        Tools.require("shellcheck");
        List<String> command = new ArrayList<>(List.of("shellcheck", "-x", "--severity=style", "--format=gcc"));
        // run from the project root: sourced files must resolve wherever shellcheck is started
        Path projectRoot = ScriptSandbox.projectScripts().getParent();
        command.add(projectRoot.relativize(script).toString());
        ProcessResult result = Processes.run(command, projectRoot, Map.of(), Duration.ofSeconds(60));
        assertThat(result.exitCode())
                .as("shellcheck findings in %s:%n%s%s", script, result.stdout(), result.stderr())
                .isZero();
    }

    @ParameterizedTest(name = "{0} keeps the house style")
    @MethodSource("entryPoints")
    void keepsTheHouseStyle(Path script) throws IOException {
        String text = Files.readString(script);
        assertThat(text).startsWith("#!/usr/bin/env bash\n");
        assertThat(text).contains("\nset -euo pipefail\n");
        assertThat(text).contains("source \"${SCRIPT_DIR}/lib/common.sh\"");
        assertThat(text).endsWith("\nmain \"$@\"\n");
        assertThat(Files.isExecutable(script)).as("%s is executable", script).isTrue();
    }
}
