package io.kubecdk;

import io.kubecdk.testing.StackSnapshot;
import io.kubecdk.testsupport.Scenarios;
import io.kubecdk.userdata.ScriptsBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files of every scenario under {@code src/test/resources/snapshots/<scenario>/}: the template and
 * each launch template's user-data. {@code mvn test -Dtest=SnapshotTest -DupdateSnapshots=true} rewrites them.
 *
 * <p>The scripts bundle's hash changes with every script and is masked as {@code <scripts-bundle>};
 * KubernetesClusterTest checks that it is a SHA-256 and that the user-data carries it.
 */
class SnapshotTest {
    static final Path ROOT = Path.of("src/test/resources/snapshots");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "staging", "prod", "internal-api"})
    void theScenarioMatchesItsSnapshot(String scenario) {
        StackSnapshot.of(Scenarios.stacks().get(scenario))
                .mask(ScriptsBundle.fromClassPath().hash(), "scripts-bundle")
                .assertMatches(ROOT.resolve(scenario));
    }

    @Test
    void everySnapshotFolderBelongsToAScenario() throws IOException {
        try (Stream<Path> folders = Files.list(ROOT)) {
            List<String> names = folders.map(p -> p.getFileName().toString()).toList();
            assertThat(names).as("folders under %s; a folder no scenario writes is stale", ROOT)
                    .containsExactlyInAnyOrderElementsOf(Scenarios.ALL);
        }
    }
}
