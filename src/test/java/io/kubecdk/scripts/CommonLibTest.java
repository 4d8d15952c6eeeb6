package io.kubecdk.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.ScriptSandbox;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared library every script sources: retries, markers, paths and quoting. */
class CommonLibTest {

    @TempDir
    Path temp;

    private ScriptSandbox node;

    @BeforeEach
    void setUp() {
        node = ScriptSandbox.create(temp);
    }

    private ProcessResult lib(String snippet) {
        return node.bash("set -euo pipefail; source opt/kubecdk/scripts/lib/common.sh; " + snippet);
    }

    @Test
    void retryStopsAfterTheBoundedNumberOfAttemptsAndReturnsTheLastExitCode() {
        ProcessResult result = lib("n=0; f() { n=$((n+1)); echo \"try $n\" >&2; return 7; };"
                + " rc=0; retry 3 f || rc=$?; echo \"rc=$rc n=$n\"");
        assertThat(result.stdout().trim()).isEqualTo("rc=7 n=3");
        assertThat(result.stderr()).contains("attempt 1/3 failed (exit 7): f; retrying in 0.2s")
                .contains("attempt 2/3 failed (exit 7): f; retrying in 0.4s")
                .contains("giving up after 3 attempts (exit 7): f");
    }

    @Test
    void retrySucceedsAsSoonAsTheCommandDoes() {
        ProcessResult result = lib("n=0; f() { n=$((n+1)); ((n >= 2)); }; retry 5 f; echo \"n=$n\"");
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout().trim()).isEqualTo("n=2");
    }

    @Test
    void backoffDoublesUpToTheCap() {
        ProcessResult result = lib("RETRY_BASE_DELAY=2 RETRY_MAX_DELAY=60;"
                + " for i in 1 2 3 4 5 6 7; do backoff_delay $i; done | paste -sd' '");
        assertThat(result.stdout().trim()).isEqualTo("2 4 8 16 32 60 60");
    }

    @Test
    void retryForGivesUpWhenTheTimeBudgetIsSpent() {
        ProcessResult result = lib("start=$(date +%s); rc=0; retry_for 2 false || rc=$?;"
                + " echo \"rc=$rc elapsed=$(( $(date +%s) - start ))\"");
        assertThat(result.stdout()).startsWith("rc=1 elapsed=");
        int elapsed = Integer.parseInt(result.stdout().trim().replaceAll(".*elapsed=", ""));
        assertThat(elapsed).isBetween(1, 3);
        assertThat(result.stderr()).contains("giving up after").contains("budget 2s");
    }

    @Test
    void logLinesCarryAUtcTimestampAndGoToStderr() {
        ProcessResult result = lib("log hello");
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ bash: hello\\n");
    }

    @Test
    void withRootPrefixesEveryNodePath() {
        ProcessResult result = lib("with_root /etc/kubernetes; KUBECDK_ROOT= with_root /etc/kubernetes");
        assertThat(result.stdout()).isEqualTo(node.root() + "/etc/kubernetes\n/etc/kubernetes\n");
    }

    @Test
    void runOnceRunsAStepOnlyOnce() {
        ProcessResult result = lib("run_once demo echo ran; run_once demo echo ran-again");
        assertThat(result.stdout()).isEqualTo("ran\n");
        assertThat(node.path("var/lib/kubecdk/demo.done")).exists();
    }

    @Test
    void quotedValuesReadBackUnchangedWithoutBeingExecuted() {
        ProcessResult result = lib("f=$(mktemp); v=\"it's \\$(touch pwned) \\\"x\\\"\";"
                + " printf 'K=%s\\n' \"$(shell_quote \"$v\")\" > \"$f\";"
                + " [[ \"$(read_env_value \"$f\" K)\" == \"$v\" ]] && (source \"$f\"; [[ \"$K\" == \"$v\" ]]) && echo same;"
                + " [[ ! -e pwned ]] && echo safe");
        assertThat(result.stdout()).as(result.describe()).isEqualTo("same\nsafe\n");
    }

    @Test
    void loadEnvExportsTheClusterEnvAndFailsLoudlyWithoutIt() {
        ProcessResult missing = lib("load_env");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("environment file " + node.root() + "/etc/kubecdk/cluster.env is missing");

        node.writeFile("etc/kubecdk/cluster.env", "REGION='eu-central-1'\nZONE_ID='Z1'\n");
        ProcessResult loaded = lib("unset AWS_DEFAULT_REGION; load_env; bash -c 'echo $ZONE_ID $AWS_DEFAULT_REGION'");
        assertThat(loaded.stdout()).isEqualTo("Z1 eu-central-1\n");
    }

    @Test
    void writeFileReportsWhetherTheContentChanged() {
        ProcessResult result = lib("f=$(with_root /etc/x.conf); for i in 1 2; do"
                + " if echo a | write_file \"$f\" 0644; then echo changed; else echo same; fi; done;"
                + " stat -c %a \"$f\"");
        assertThat(result.stdout()).isEqualTo("changed\nsame\n644\n");
    }
}
