package io.kubecdk.testsupport;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.AspectOptions;
import software.amazon.awscdk.AspectPriority;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

import java.util.ArrayList;
import java.util.List;

/** cdk-nag's AWS Solutions checks on the tests' stacks, and what they (and kubecdk's rules) report. */
public final class SecurityFindings {
    private SecurityFindings() { }

    /** Adds cdk-nag's AWS Solutions checks to the stack; call before the stack is synthesized. */
    public static <T extends Stack> T withNag(T stack) {
        Aspects.of(stack).add(AwsSolutionsChecks.Builder.create().verbose(true).build(),
                AspectOptions.builder().priority(AspectPriority.READONLY).build());
        return stack;
    }

    /**
     * @return every unsuppressed cdk-nag error and warning and every kubecdk rule error of the stack, one
     *         line each ("path: message"); empty when the stack is clean
     */
    public static List<String> of(Stack stack) {
        Annotations annotations = Annotations.fromStack(stack);
        List<String> findings = new ArrayList<>();
        annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")).forEach(m -> findings.add(line("error", m)));
        annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")).forEach(m -> findings.add(line("warning", m)));
        annotations.findError("*", Match.stringLikeRegexp("CdkNagValidationFailure.*")).forEach(m -> findings.add(line("error", m)));
        annotations.findWarning("*", Match.stringLikeRegexp("CdkNagValidationFailure.*")).forEach(m -> findings.add(line("warning", m)));
        annotations.findError("*", Match.stringLikeRegexp("Kubecdk-.*")).forEach(m -> findings.add(line("error", m)));
        return findings;
    }

    private static String line(String level, SynthesisMessage m) {
        String data = String.valueOf(m.getEntry().getData());
        int sentence = data.indexOf(". ");
        return level + " " + m.getId() + ": " + (sentence > 0 ? data.substring(0, sentence + 1) : data);
    }
}
