package io.kubecdk;

import io.kubecdk.config.EnvironmentConfig;
import io.kubecdk.spec.ClusterSpec;
import io.kubecdk.spec.InvalidSpecException;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AspectOptions;
import software.amazon.awscdk.AspectPriority;
import software.amazon.awscdk.Aspects;

import java.util.Map;

/**
 * The CDK app: one {@link ClusterStack} per environment declared under {@code environments} in
 * {@code cdk.json}'s context (or in the JSON or YAML file named by {@code -c spec=PATH}), or only the
 * one named by {@code -c env=NAME}.
 *
 * <p>{@code -c nag=true} also runs cdk-nag's AWS Solutions rules on every stack: a finding that is
 * not suppressed (with its reason, beside its resource) is reported as an error or a warning.
 *
 * <p>An invalid spec ends the process with exit code 2 and the list of problems on stderr, before
 * anything is synthesized.
 */
public final class ClusterApp {
    /** Exit code of an invalid spec or an unknown environment. */
    public static final int INVALID_SPEC = 2;

    private ClusterApp() { }

    /** Context key that turns on cdk-nag's AWS Solutions checks ({@code -c nag=true}). */
    public static final String NAG_CONTEXT = "nag";

    /** @param args unused; the CDK CLI passes everything through the context */
    public static void main(String[] args) {
        App app = new App();
        try {
            build(app);
        } catch (InvalidSpecException e) {
            System.err.println(e.getMessage());
            System.exit(INVALID_SPEC);
        }
        app.synth();
    }

    /**
     * Adds the stacks the app's context asks for.
     *
     * @param app the app
     * @return the stacks by environment name
     * @throws InvalidSpecException when an environment is invalid or {@code env} names none
     */
    public static Map<String, ClusterStack> build(App app) {
        Object specFile = app.getNode().tryGetContext("spec");
        Map<String, ClusterSpec> specs = specFile != null
                ? EnvironmentConfig.readFile(java.nio.file.Path.of(String.valueOf(specFile)))
                : EnvironmentConfig.readAll(app.getNode().tryGetContext("environments"), "environments");
        Object only = app.getNode().tryGetContext("env");
        if (only != null && !specs.containsKey(String.valueOf(only))) {
            throw new InvalidSpecException(java.util.List.of(new io.kubecdk.spec.SpecProblem("env",
                    "'" + only + "' is not declared; environments: " + String.join(", ", specs.keySet()))));
        }
        Map<String, ClusterStack> stacks = new java.util.LinkedHashMap<>();
        specs.forEach((name, spec) -> {
            if (only == null || only.equals(name)) {
                stacks.put(name, new ClusterStack(app, "kubecdk-" + name, spec));
            }
        });
        if (Boolean.parseBoolean(String.valueOf(app.getNode().tryGetContext(NAG_CONTEXT)))) {
            stacks.values().forEach(stack -> Aspects.of(stack).add(AwsSolutionsChecks.Builder.create().verbose(true).build(),
                    AspectOptions.builder().priority(AspectPriority.READONLY).build()));
        }
        return stacks;
    }
}
