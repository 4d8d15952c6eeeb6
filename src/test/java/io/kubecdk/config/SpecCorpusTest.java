package io.kubecdk.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubecdk.spec.InvalidSpecException;
import io.kubecdk.spec.SpecProblem;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Walks the corpus of bad environment declarations in {@code src/test/resources/spec-corpus/}: each
 * fixture holds one mistake and the one problem it must produce, with its exact field path and the
 * words its message must contain.
 */
class SpecCorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/spec-corpus");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theCorpusHoldsAtLeastFortyMistakes() throws IOException {
        assertThat(fixtures()).hasSizeGreaterThanOrEqualTo(40);
    }

    @TestFactory
    Stream<DynamicTest> everyMistakeIsReportedOnceAtItsPathWithWhatIsAllowed() throws IOException {
        return fixtures().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            JsonNode fixture = JSON.readTree(file.toFile());
            String environment = fixture.get("environment").asText();
            InvalidSpecException error = catchThrowableOfType(InvalidSpecException.class, () -> EnvironmentConfig.read(
                    environment, fixture.get("declaration"), "environments." + environment));
            assertThat(error).as("%s: no problem reported", file.getFileName()).isNotNull();
            JsonNode expected = fixture.get("problem");
            assertThat(error.problems()).as(error.getMessage()).singleElement().satisfies(problem -> {
                assertThat(problem.path()).isEqualTo(expected.get("path").asText());
                for (JsonNode word : expected.get("contains")) {
                    assertThat(problem.message()).contains(word.asText());
                }
            });
        }));
    }

    private static List<Path> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void problemsRenderAsPathColonMessage() {
        assertThat(new SpecProblem("environments.prod.region", "'x' must be an AWS region")).hasToString(
                "environments.prod.region: 'x' must be an AWS region");
    }
}
