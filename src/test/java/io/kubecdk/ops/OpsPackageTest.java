package io.kubecdk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OpsPackageTest {

    @Test
    void opsSourcesImportNoCdkClass() throws Exception {
        try (var sources = Files.list(Path.of("src/main/java/io/kubecdk/ops"))) {
            var files = sources.filter(f -> f.toString().endsWith(".java")).toList();

            assertThat(files).isNotEmpty().allSatisfy(file -> assertThat(Files.readString(file))
                    .as(file.toString())
                    .doesNotContain("software.amazon.awscdk")
                    .doesNotContain("software.constructs"));
        }
    }
}
