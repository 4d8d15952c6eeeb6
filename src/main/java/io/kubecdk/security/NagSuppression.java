package io.kubecdk.security;

import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A cdk-nag suppression: the rule it silences, the reason a security reviewer reads, and optionally the
 * findings it is limited to.
 *
 * <p>{@link #addTo} writes suppressions into the resources' CloudFormation metadata
 * ({@code Metadata.cdk_nag.rules_to_suppress}), the form in which cdk-nag reads them and which it
 * documents for templates it did not build. It writes exactly what cdk-nag's own
 * {@code NagSuppressions.addResourceSuppressions} writes, without loading cdk-nag's JavaScript module on
 * every synth (about 120 ms) when the checks are not run.
 *
 * @param id the rule, e.g. {@code AwsSolutions-IAM5}
 * @param reason why the finding is the design; at least 10 characters
 * @param appliesTo the findings it is limited to: strings, or {@code {regex: "/.../"}} maps from
 *                  {@link #appliesToPattern}; empty for the whole rule
 */
public record NagSuppression(String id, String reason, List<Object> appliesTo) {
    /** The metadata key cdk-nag reads. */
    public static final String METADATA_KEY = "cdk_nag";
    private static final Pattern FINDING_IN_ID = Pattern.compile("\\[.*]");
    private static final Pattern REGEX_LITERAL = Pattern.compile("/(.*)/([a-z]*)");

    /**
     * @throws IllegalArgumentException as cdk-nag would: a finding in the id, a reason under 10 characters,
     *                                  or a pattern not written {@code /.../flags}
     */
    public NagSuppression {
        Objects.requireNonNull(id, "id is required");
        Objects.requireNonNull(reason, "reason is required");
        appliesTo = List.copyOf(appliesTo);
        if (FINDING_IN_ID.matcher(id).find()) {
            throw new IllegalArgumentException("suppression " + id + ": a finding belongs in appliesTo, not in the id");
        }
        if (reason.length() < 10) {
            throw new IllegalArgumentException("suppression " + id + ": the reason must have 10 characters or more");
        }
        for (Object finding : appliesTo) {
            if (finding instanceof Map<?, ?> m && !REGEX_LITERAL.matcher(String.valueOf(m.get("regex"))).matches()) {
                throw new IllegalArgumentException("suppression " + id + ": pattern " + m.get("regex")
                        + " is not written /.../flags");
            }
        }
    }

    /**
     * @param id the rule
     * @param reason why the finding is the design
     * @return a suppression of the whole rule
     */
    public static NagSuppression of(String id, String reason) {
        return new NagSuppression(id, reason, List.of());
    }

    /**
     * @param findings findings as cdk-nag names them, e.g. {@code Resource::*}
     * @return this suppression, limited to these findings as well
     */
    public NagSuppression appliesTo(String... findings) {
        List<Object> all = new ArrayList<>(appliesTo);
        all.addAll(List.of(findings));
        return new NagSuppression(id, reason, all);
    }

    /**
     * @param regex a JavaScript regular expression literal, {@code /.../flags}
     * @return this suppression, limited to the findings the pattern matches as well
     */
    public NagSuppression appliesToPattern(String regex) {
        List<Object> all = new ArrayList<>(appliesTo);
        all.add(Map.of("regex", regex));
        return new NagSuppression(id, reason, all);
    }

    /**
     * Adds suppressions to a construct's CloudFormation resource (itself, or its default child), or with
     * {@code applyToChildren} to every resource at or beneath it. A suppression already there is not
     * repeated.
     *
     * @param construct the resource or the construct that owns it
     * @param applyToChildren whether every resource beneath the construct is suppressed too
     * @param suppressions the suppressions
     */
    public static void addTo(IConstruct construct, boolean applyToChildren, NagSuppression... suppressions) {
        // Every construct's default child is beneath it, so with children the resources beneath are all
        // there is to suppress; a resource is its own target. Each call is a round trip to the CDK's
        // JavaScript runtime, hence the filtering here rather than a default-child lookup per construct.
        List<CfnResource> resources = applyToChildren
                ? construct.getNode().findAll().stream()
                        .filter(CfnResource.class::isInstance).map(CfnResource.class::cast).toList()
                : construct instanceof CfnResource resource ? List.of(resource)
                : construct.getNode().getDefaultChild() instanceof CfnResource child ? List.of(child) : List.of();
        for (CfnResource resource : resources) {
            Object existing = resource.getMetadata(METADATA_KEY);
            List<Object> rules = new ArrayList<>(existing instanceof Map<?, ?> m
                    && m.get("rules_to_suppress") instanceof List<?> l ? l : List.of());
            for (NagSuppression suppression : suppressions) {
                Map<String, Object> rule = suppression.toMetadata();
                if (!rules.contains(rule)) {
                    rules.add(rule);
                }
            }
            resource.addMetadata(METADATA_KEY, Map.of("rules_to_suppress", rules));
        }
    }

    /** The entry cdk-nag writes: a reason beyond Latin-1 is base64-encoded and flagged. */
    private Map<String, Object> toMetadata() {
        Map<String, Object> rule = new LinkedHashMap<>();
        boolean encode = reason.codePoints().anyMatch(c -> c > 255);
        rule.put("reason", encode ? Base64.getEncoder().encodeToString(reason.getBytes(StandardCharsets.UTF_8)) : reason);
        rule.put("id", id);
        if (!appliesTo.isEmpty()) {
            rule.put("applies_to", appliesTo);
        }
        if (encode) {
            rule.put("is_reason_encoded", true);
        }
        return rule;
    }
}
