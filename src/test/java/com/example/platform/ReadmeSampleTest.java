package com.example.platform;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's import sample is the code of {@link PlatformStack}, which the build compiles and tests. */
class ReadmeSampleTest {

    @Test
    void theReadmesImportSampleIsPlatformStacksCode() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Using the constructs in your own app");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        List<String> sample = readme.substring(start, readme.indexOf("```", start)).lines()
                .map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<String> code = Files.readAllLines(Path.of("src/test/java/com/example/platform/PlatformStack.java"))
                .stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertThat(sample).hasSizeGreaterThan(10);
        // the sample declares the cluster as a local; the stack keeps it in a field
        assertThat(String.join("\n", code)).contains(String.join("\n", sample)
                .replace("KubernetesCluster cluster = ", "cluster = "));
    }
}
