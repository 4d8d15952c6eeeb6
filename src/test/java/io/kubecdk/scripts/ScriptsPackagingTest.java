package io.kubecdk.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubecdk.testsupport.ScriptSandbox;
import io.kubecdk.userdata.ScriptsBundle;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The scripts ship on the class path (and so in the jar) under io/kubecdk/scripts. */
class ScriptsPackagingTest {

    @Test
    void everyScriptIsOnTheClassPathUnderItsPackagedName() {
        Path root = ScriptSandbox.projectScripts();
        assertThat(ScriptSandbox.projectScriptFiles()).isNotEmpty().allSatisfy(script -> {
            String resource = "/io/kubecdk/scripts/" + root.relativize(script).toString().replace('\\', '/');
            assertThat(ScriptsPackagingTest.class.getResource(resource)).as(resource).isNotNull();
        });
        assertThat(ScriptsPackagingTest.class.getResource("/io/kubecdk/scripts/bootstrap-master.sh")).isNotNull();
        assertThat(ScriptsPackagingTest.class.getResource("/io/kubecdk/scripts/lib/common.sh")).isNotNull();
    }

    @Test
    void theBundleHoldsExactlyTheScriptsEvenWhereThisTestPackageSharesTheFolderName() {
        Path root = ScriptSandbox.projectScripts();
        // this package, io.kubecdk.scripts, is a folder of the same name on the test class path
        assertThat(ScriptsBundle.fromClassPath().fileNames()).containsExactlyInAnyOrderElementsOf(
                ScriptSandbox.projectScriptFiles().stream()
                        .map(script -> root.relativize(script).toString().replace('\\', '/'))
                        .collect(Collectors.toList()));
    }
}
