package io.kubecdk.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.services.ec2.CfnLaunchTemplate;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.assets.Asset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The snapshot helper on small stacks: normalization, comparison messages, stale files, updating. */
class StackSnapshotTest {
    private static final String BUNDLE = "ab".repeat(32);

    /** A bucket, a file asset and a launch template whose user-data joins text with a Ref and a GetAtt. */
    private static Stack stack(Path assetDir, int volumeSize) {
        App app = new App(AppProps.builder().analyticsReporting(true).build());
        Stack stack = new Stack(app, "Small", StackProps.builder()
                .env(Environment.builder().region("eu-west-1").account("123456789012").build()).build());
        Bucket bucket = Bucket.Builder.create(stack, "Bucket").build();
        Asset asset = Asset.Builder.create(stack, "Payload").path(assetDir.toString()).build();
        String userData = "#!/bin/bash\necho bucket=" + bucket.getBucketName() + " arn=" + bucket.getBucketArn()
                + "\necho bundle=" + BUNDLE + " key=" + asset.getS3ObjectKey() + "\n";
        CfnLaunchTemplate.Builder.create(stack, "Nodes").launchTemplateData(CfnLaunchTemplate.LaunchTemplateDataProperty
                .builder().userData(Fn.base64(userData)).instanceType("t3.micro")
                .blockDeviceMappings(java.util.List.of(CfnLaunchTemplate.BlockDeviceMappingProperty.builder()
                        .deviceName("/dev/xvda").ebs(CfnLaunchTemplate.EbsProperty.builder().volumeSize(volumeSize)
                                .encrypted(true).build()).build()))
                .build()).build();
        return stack;
    }

    private static Path assetDir(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("payload"));
        Files.writeString(dir.resolve("hello.txt"), "hello\n");
        return dir;
    }

    @Test
    void theTemplateIsSortedWithoutCdkMetadataAndTheUserDataIsItsOwnReadableFile(@TempDir Path tmp) throws IOException {
        SortedMap<String, String> files = StackSnapshot.of(stack(assetDir(tmp), 8)).mask(BUNDLE, "bundle").files();
        assertThat(files).containsOnlyKeys("template.json", "Nodes.user-data.sh");
        String template = files.get("template.json");
        assertThat(template).doesNotContain("AWS::CDK::Metadata", "CDKMetadataAvailable", "BootstrapVersion",
                "CheckBootstrapVersion").contains("\"UserData\": \"<user-data: Nodes.user-data.sh>\"")
                .startsWith("{\n  \"Resources\": {\n").endsWith("}\n");
        assertThat(files.get("Nodes.user-data.sh")).isEqualTo("#!/bin/bash\n"
                + "echo bucket=${Ref:Bucket83908E77} arn=${GetAtt:Bucket83908E77.Arn}\n"
                + "echo bundle=<bundle> key=<asset:Payload>.zip\n");
    }

    @Test
    void twoSynthesesInSeparateAppsGiveIdenticalFiles(@TempDir Path tmp) throws IOException {
        Path dir = assetDir(tmp);
        assertThat(StackSnapshot.of(stack(dir, 8)).files()).isEqualTo(StackSnapshot.of(stack(dir, 8)).files());
    }

    @Test
    void otherSha256ValuesBecomeNumberedPlaceholders(@TempDir Path tmp) throws IOException {
        String userData = StackSnapshot.of(stack(assetDir(tmp), 8)).files().get("Nodes.user-data.sh");
        assertThat(userData).contains("echo bundle=<hash-1> ");
        assertThat(StackSnapshot.of(stack(assetDir(tmp), 8)).maskOtherHashes(false).files()
                .get("Nodes.user-data.sh")).contains("echo bundle=" + BUNDLE);
    }

    @Test
    void aChangedPropertyIsNamedByResourceAndJsonPathWithAUnifiedExcerpt(@TempDir Path tmp) throws IOException {
        Path snapshots = tmp.resolve("snapshots");
        StackSnapshot.of(stack(assetDir(tmp), 8)).update(true).assertMatches(snapshots);
        assertThatThrownBy(() -> StackSnapshot.of(stack(assetDir(tmp), 16)).update(false).assertMatches(snapshots))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("run with -DupdateSnapshots=true")
                .hasMessageContaining("template.json differs: resource Nodes (AWS::EC2::LaunchTemplate) at "
                        + "$.Resources.Nodes.Properties.LaunchTemplateData.BlockDeviceMappings[0].Ebs.VolumeSize: "
                        + "expected 8 but was 16")
                .hasMessageContaining("--- expected template.json\n+++ actual template.json\n@@ ")
                .hasMessageContaining("\n-                \"VolumeSize\": 8\n+                \"VolumeSize\": 16\n");
    }

    @Test
    void aStaleFileAndAMissingFileFailAndAnUpdateRemovesTheStaleOne(@TempDir Path tmp) throws IOException {
        Path snapshots = tmp.resolve("snapshots");
        StackSnapshot snapshot = StackSnapshot.of(stack(assetDir(tmp), 8));
        snapshot.update(true).assertMatches(snapshots);
        Files.writeString(snapshots.resolve("Gone.user-data.sh"), "#!/bin/bash\n");
        Files.delete(snapshots.resolve("Nodes.user-data.sh"));
        assertThatThrownBy(() -> snapshot.update(false).assertMatches(snapshots))
                .hasMessageContaining("2 problems")
                .hasMessageContaining("missing file Nodes.user-data.sh")
                .hasMessageContaining("stale file Gone.user-data.sh");
        snapshot.update(true).assertMatches(snapshots);
        try (var files = Files.list(snapshots)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("template.json", "Nodes.user-data.sh");
        }
        snapshot.update(false).assertMatches(snapshots);
    }

    @Test
    void aUserDataChangeShowsAsAScriptDiff(@TempDir Path tmp) throws IOException {
        Path snapshots = tmp.resolve("snapshots");
        StackSnapshot.of(stack(assetDir(tmp), 8)).mask(BUNDLE, "bundle").update(true).assertMatches(snapshots);
        assertThatThrownBy(() -> StackSnapshot.of(stack(assetDir(tmp), 8)).update(false).assertMatches(snapshots))
                .hasMessageContaining("Nodes.user-data.sh differs\n--- expected Nodes.user-data.sh")
                .hasMessageContaining("\n-echo bundle=<bundle> key=<asset:Payload>.zip\n"
                        + "+echo bundle=<hash-1> key=<asset:Payload>.zip");
    }

    @Test
    void theBuildPassesTheUpdatePropertyToTheTestJvm() {
        assertThat(System.getProperty(StackSnapshot.UPDATE_PROPERTY)).isIn("true", "false");
    }

    @Test
    void distantChangesGetHunksOfTheirOwn() {
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            expected.append("line ").append(i).append('\n');
        }
        String actual = expected.toString().replace("line 5\n", "line five\n").replace("line 25\n", "");
        String excerpt = StackSnapshot.unifiedExcerpt("f", expected.toString(), actual);
        assertThat(excerpt).isEqualTo(String.join("\n", "--- expected f", "+++ actual f",
                "@@ -2,7 +2,7 @@", " line 2", " line 3", " line 4", "-line 5", "+line five", " line 6", " line 7", " line 8",
                "@@ -22,7 +22,6 @@", " line 22", " line 23", " line 24", "-line 25", " line 26", " line 27", " line 28"));
    }

    @Test
    void unifiedExcerptsKeepThreeLinesOfContext() {
        String excerpt = StackSnapshot.unifiedExcerpt("f", "a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nd\nE\nf\ng\n");
        assertThat(excerpt).isEqualTo(String.join("\n", "--- expected f", "+++ actual f", "@@ -2,7 +2,7 @@",
                " b", " c", " d", "-e", "+E", " f", " g", " "));
    }
}
