package com.example.platform;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.kubecdk.testing.StackSnapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AspectOptions;
import software.amazon.awscdk.AspectPriority;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How an app tests its own stack with kubecdk: a snapshot of the whole template and of each node's
 * user-data, cdk-nag's AWS Solutions checks, and kubecdk's security rules. This is the README's sample;
 * it uses nothing but public API.
 */
class PlatformStackSnapshotTest {
    private static PlatformStack stack;

    @BeforeAll
    static void synthesize() {
        stack = new PlatformStack(new App(), "Platform");
        // Aspects must be added before the first synthesis.
        AspectOptions readOnly = AspectOptions.builder().priority(AspectPriority.READONLY).build();
        Aspects.of(stack).add(new AwsSolutionsChecks(), readOnly);
        Aspects.of(stack).add(stack.getCluster().securityRules(), readOnly);
    }

    @Test
    void theStackMatchesItsSnapshot() {
        // -DupdateSnapshots=true rewrites the folder after an intended change; review the diff, commit it.
        StackSnapshot.of(stack)
                .mask(stack.getCluster().getScriptsBundleHash(), "scripts-bundle")
                .assertMatches(Path.of("src/test/resources/snapshots/platform"));
    }

    @Test
    void noSecurityRuleIsBrokenUnlessSuppressedWithAReason() {
        Annotations annotations = Annotations.fromStack(stack);
        List<SynthesisMessage> findings = new ArrayList<>();
        findings.addAll(annotations.findError("*", Match.stringLikeRegexp("(AwsSolutions|Kubecdk)-.*")));
        findings.addAll(annotations.findWarning("*", Match.stringLikeRegexp("(AwsSolutions|Kubecdk)-.*")));
        findings.addAll(annotations.findError("*", Match.stringLikeRegexp("CdkNagValidationFailure.*")));
        findings.addAll(annotations.findWarning("*", Match.stringLikeRegexp("CdkNagValidationFailure.*")));
        assertThat(findings).as("%s", findings.stream().map(f -> f.getId() + ": " + f.getEntry().getData()).toList())
                .isEmpty();
    }
}
