package io.kubecdk.security;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.IInspectable;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.TreeInspector;
import software.amazon.awscdk.services.ec2.CfnLaunchTemplate;
import software.amazon.awscdk.services.ec2.CfnSecurityGroup;
import software.amazon.awscdk.services.ec2.CfnSecurityGroupIngress;
import software.amazon.awscdk.services.ec2.CfnVolume;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.iam.CfnManagedPolicy;
import software.amazon.awscdk.services.iam.CfnPolicy;
import software.amazon.awscdk.services.iam.CfnRole;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.CfnBucketPolicy;
import software.constructs.IConstruct;
import software.constructs.IValidation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * kubecdk's own security rules, checked on the CloudFormation (L1) resources of whatever scope the
 * aspect is added to. A broken rule is reported as an error annotation on the resource, starting with
 * the rule's id, so {@code cdk synth} lists it and {@code cdk deploy} refuses the stack:
 * <table>
 *   <caption>rules</caption>
 *   <tr><th>id</th><th>rule</th></tr>
 *   <tr><td>{@value #IMDSV2}</td><td>every {@code AWS::EC2::LaunchTemplate} requires IMDSv2
 *       ({@code MetadataOptions.HttpTokens: required})</td></tr>
 *   <tr><td>{@value #EBS_ENCRYPTION}</td><td>every EBS block device of a launch template and every
 *       {@code AWS::EC2::Volume} is encrypted</td></tr>
 *   <tr><td>{@value #PUBLIC_INGRESS}</td><td>no security-group ingress from {@code 0.0.0.0/0} or {@code ::/0},
 *       except the (group, TCP port) pairs allowed with {@link Builder#allowPublicIngress}</td></tr>
 *   <tr><td>{@value #IAM_WILDCARD_WRITE}</td><td>no IAM statement allows an action other than
 *       {@code Describe*}, {@code List*} or {@code Get*} on resource {@code *}</td></tr>
 *   <tr><td>{@value #BUCKET_TLS}</td><td>every bucket's policy denies requests without TLS
 *       ({@code aws:SecureTransport: false})</td></tr>
 *   <tr><td>{@value #BUCKET_PUBLIC_ACCESS}</td><td>every bucket blocks public access (all four settings)</td></tr>
 * </table>
 *
 * <pre>{@code
 * Aspects.of(stack).add(cluster.securityRules(),
 *         AspectOptions.builder().priority(AspectPriority.READONLY).build());
 * }</pre>
 *
 * The rules judge the resources as they stand once the app is synthesized, after every aspect (mutating
 * ones included) and {@code prepare} step; {@link #applyTo(IConstruct)} does the same without an aspect.
 * Token values are resolved with {@link Stack#resolve(Object)} before they are judged; a value that only
 * CloudFormation can know (a {@code Ref}, an attribute) is never taken for {@code 0.0.0.0/0} or {@code *}.
 */
public final class ClusterSecurityRules implements IAspect {
    /** Launch templates require IMDSv2. */
    public static final String IMDSV2 = "Kubecdk-IMDSv2";
    /** EBS volumes are encrypted. */
    public static final String EBS_ENCRYPTION = "Kubecdk-EbsEncryption";
    /** No ingress from anywhere but the allowed ports. */
    public static final String PUBLIC_INGRESS = "Kubecdk-PublicIngress";
    /** No write action on resource {@code *}. */
    public static final String IAM_WILDCARD_WRITE = "Kubecdk-IamWildcardWrite";
    /** Buckets deny requests without TLS. */
    public static final String BUCKET_TLS = "Kubecdk-BucketTls";
    /** Buckets block public access. */
    public static final String BUCKET_PUBLIC_ACCESS = "Kubecdk-BucketPublicAccess";

    private static final Pattern READ_ACTION = Pattern.compile("[A-Za-z0-9-]+:(Describe|List|Get)[A-Za-z0-9*]*");
    private static final List<String> ANYWHERE = List.of("0.0.0.0/0", "::/0");
    /** The L1 types the rules judge; every other construct is passed over. */
    private static final List<Class<? extends CfnResource>> JUDGED = List.of(CfnLaunchTemplate.class,
            CfnVolume.class, CfnSecurityGroup.class, CfnSecurityGroupIngress.class, CfnPolicy.class,
            CfnManagedPolicy.class, CfnRole.class, CfnBucket.class, CfnBucketPolicy.class);
    /** The attribute under which {@link CfnResource#inspect} gives the resource's properties. */
    private static final String CFN_PROPS = "aws:cdk:cloudformation:props";

    private final List<PublicPort> allowedPublic;
    /** Constructs beneath a scope already scheduled for checking. */
    private final Set<IConstruct> covered = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Resources already judged, so that synthesizing twice does not report twice. */
    private final Set<IConstruct> judged = Collections.newSetFromMap(new IdentityHashMap<>());

    private ClusterSecurityRules(List<PublicPort> allowedPublic) {
        this.allowedPublic = List.copyOf(allowedPublic);
    }

    /** @return a builder; with nothing allowed, any ingress from anywhere is an error */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Schedules the check of the scope this aspect was added to, which is the first construct it visits:
     * the scope's whole subtree is checked once, when the app is synthesized (see {@link #applyTo}). The
     * constructs beneath it are covered by then and pass straight through.
     */
    @Override
    public void visit(IConstruct node) {
        if (!covered.contains(node)) {
            covered.addAll(node.getNode().findAll());
            applyTo(node);
        }
    }

    /**
     * Checks the scope and everything beneath it once, when the app is synthesized: after every aspect
     * and {@code prepare} step has run, before the templates are written. The same findings as adding this
     * aspect to the scope, at the cost of one call from the CDK's JavaScript runtime instead of one per
     * construct.
     *
     * @param scope the scope to check, usually a stack
     */
    public void applyTo(IConstruct scope) {
        scope.getNode().addValidation(new IValidation() {
            @Override
            public List<String> validate() {
                check(scope);
                return List.of();
            }
        });
    }

    private void check(IConstruct scope) {
        resourcesByStack(scope).forEach((stack, resources) -> {
            // One resolve for all properties: each call is a round trip to the CDK's JavaScript runtime.
            TreeInspector inspector = new TreeInspector();
            List<Object> unresolved = new ArrayList<>();
            for (CfnResource resource : resources) {
                ((IInspectable) resource).inspect(inspector);
                Map<String, Object> entry = new HashMap<>();
                entry.put("props", inspector.getAttributes().get(CFN_PROPS));
                if (resource instanceof CfnSecurityGroup group) {
                    entry.put("id", group.getAttrGroupId());
                } else if (resource instanceof CfnBucket) {
                    entry.put("id", resource.getRef());
                }
                unresolved.add(entry);
            }
            unresolved.add(allowedPublic.stream().map(p -> p.group().getSecurityGroupId()).toList());
            List<Object> resolved = asList(stack.resolve(unresolved));
            List<Object> allowedIds = asList(resolved.get(resources.size()));
            List<Judged> all = new ArrayList<>();
            for (int i = 0; i < resources.size(); i++) {
                Map<String, Object> entry = asMap(resolved.get(i));
                all.add(new Judged(resources.get(i), asMap(entry.get("props")), entry.get("id")));
            }
            all.forEach(resource -> judge(resource, all, allowedIds));
        });
    }

    /**
     * The resources the rules judge under the scope, by the stack that owns them (a nested stack's
     * resources belong to it, not to its parent), leaving out those judged before.
     */
    private Map<Stack, List<CfnResource>> resourcesByStack(IConstruct scope) {
        List<IConstruct> all = scope.getNode().findAll();
        Map<IConstruct, Stack> owner = new IdentityHashMap<>();
        if (!(scope instanceof Stage)) {
            Stack stack = Stack.of(scope);
            all.forEach(c -> owner.put(c, stack));
        }
        for (IConstruct c : all) {
            if (c instanceof Stack nested && c != scope) {
                nested.getNode().findAll().forEach(member -> owner.put(member, nested));
            }
        }
        Map<Stack, List<CfnResource>> byStack = new LinkedHashMap<>();
        for (IConstruct c : all) {
            if (JUDGED.stream().anyMatch(type -> type.isInstance(c)) && owner.containsKey(c) && judged.add(c)) {
                byStack.computeIfAbsent(owner.get(c), s -> new ArrayList<>()).add((CfnResource) c);
            }
        }
        return byStack;
    }

    private void judge(Judged resource, List<Judged> all, List<Object> allowedIds) {
        IConstruct node = resource.node();
        Map<String, Object> props = resource.props();
        if (node instanceof CfnLaunchTemplate) {
            checkLaunchTemplate(node, asMap(get(props, "launchTemplateData")));
        } else if (node instanceof CfnVolume) {
            if (!isTrue(get(props, "encrypted"))) {
                error(node, EBS_ENCRYPTION, "EBS volume is not encrypted (set Encrypted: true).");
            }
        } else if (node instanceof CfnSecurityGroup) {
            for (Object rule : asList(get(props, "securityGroupIngress"))) {
                checkIngress(node, resource.id(), asMap(rule), allowedIds);
            }
        } else if (node instanceof CfnSecurityGroupIngress) {
            checkIngress(node, get(props, "groupId"), props, allowedIds);
        } else if (node instanceof CfnPolicy || node instanceof CfnManagedPolicy) {
            checkPolicyDocument(node, get(props, "policyDocument"));
        } else if (node instanceof CfnRole) {
            for (Object policy : asList(get(props, "policies"))) {
                checkPolicyDocument(node, get(asMap(policy), "policyDocument"));
            }
        } else if (node instanceof CfnBucket) {
            checkBucket(resource, all);
        }
    }

    private static void checkLaunchTemplate(IConstruct node, Map<String, Object> data) {
        Object tokens = get(asMap(get(data, "metadataOptions")), "httpTokens");
        if (!"required".equals(tokens)) {
            error(node, IMDSV2, "launch template does not require IMDSv2 (MetadataOptions.HttpTokens is "
                    + (tokens == null ? "unset" : "'" + tokens + "'") + ", must be 'required').");
        }
        for (Object mapping : asList(get(data, "blockDeviceMappings"))) {
            Map<String, Object> m = asMap(mapping);
            Map<String, Object> ebs = asMap(get(m, "ebs"));
            if (!ebs.isEmpty() && !isTrue(get(ebs, "encrypted"))) {
                error(node, EBS_ENCRYPTION, "launch template block device " + get(m, "deviceName")
                        + " is not encrypted (set Ebs.Encrypted: true).");
            }
        }
    }

    private void checkIngress(IConstruct node, Object groupId, Map<String, Object> rule, List<Object> allowedIds) {
        String source = ANYWHERE.contains(String.valueOf(get(rule, "cidrIp"))) ? String.valueOf(get(rule, "cidrIp"))
                : ANYWHERE.contains(String.valueOf(get(rule, "cidrIpv6"))) ? String.valueOf(get(rule, "cidrIpv6"))
                : null;
        if (source == null) {
            return;
        }
        String protocol = String.valueOf(get(rule, "ipProtocol"));
        String from = number(get(rule, "fromPort"));
        String to = number(get(rule, "toPort"));
        boolean tcp = protocol.equals("tcp") || protocol.equals("6");
        for (int i = 0; i < allowedPublic.size(); i++) {
            if (tcp && from.equals(to) && from.equals(String.valueOf(allowedPublic.get(i).port()))
                    && Objects.equals(groupId, allowedIds.get(i))) {
                return;
            }
        }
        error(node, PUBLIC_INGRESS, "security group allows " + protocol + " " + (from.equals(to) ? from : from + "-" + to)
                + " from " + source + "; only the ports allowed with allowPublicIngress may be open to anywhere.");
    }

    private static void checkPolicyDocument(IConstruct node, Object document) {
        for (Object s : asList(get(asMap(document), "Statement"))) {
            Map<String, Object> statement = asMap(s);
            if (!"Allow".equals(get(statement, "Effect")) || !asStrings(get(statement, "Resource")).contains("*")) {
                continue;
            }
            List<String> writes = new ArrayList<>();
            if (get(statement, "NotAction") != null) {
                writes.add("NotAction " + asStrings(get(statement, "NotAction")));
            }
            for (String action : asStrings(get(statement, "Action"))) {
                if (!READ_ACTION.matcher(action).matches()) {
                    writes.add(action);
                }
            }
            if (!writes.isEmpty()) {
                Object sid = get(statement, "Sid");
                error(node, IAM_WILDCARD_WRITE, "IAM statement " + (sid == null ? "" : sid + " ")
                        + "allows " + String.join(", ", writes) + " on resource '*'; scope it to ARNs (only "
                        + "Describe*, List* and Get* may use '*').");
            }
        }
    }

    private static void checkBucket(Judged bucket, List<Judged> all) {
        Map<String, Object> block = asMap(get(bucket.props(), "publicAccessBlockConfiguration"));
        for (String setting : List.of("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")) {
            if (!isTrue(get(block, setting))) {
                error(bucket.node(), BUCKET_PUBLIC_ACCESS, "bucket does not block public access ("
                        + "PublicAccessBlockConfiguration." + Character.toUpperCase(setting.charAt(0))
                        + setting.substring(1) + " must be true).");
                break;
            }
        }
        boolean deniesPlainHttp = all.stream()
                .filter(p -> p.node() instanceof CfnBucketPolicy && Objects.equals(get(p.props(), "bucket"), bucket.id()))
                .flatMap(p -> asList(get(asMap(get(p.props(), "policyDocument")), "Statement")).stream())
                .map(ClusterSecurityRules::asMap)
                .anyMatch(s -> "Deny".equals(get(s, "Effect"))
                        && "false".equals(String.valueOf(get(asMap(get(asMap(get(s, "Condition")), "Bool")),
                        "aws:SecureTransport"))));
        if (!deniesPlainHttp) {
            error(bucket.node(), BUCKET_TLS, "bucket policy does not deny requests without TLS "
                    + "(a Deny statement with Condition Bool aws:SecureTransport false; enforceSSL on the L2 bucket).");
        }
    }

    private static void error(IConstruct node, String rule, String message) {
        Annotations.of(node).addError(rule + ": " + message);
    }

    private static String number(Object value) {
        if (value instanceof Number n) {
            return String.valueOf(n.longValue());
        }
        String s = String.valueOf(value);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }

    /** A key looked up as written or with its first letter's case flipped (L1 structs resolve camelCase). */
    private static Object get(Map<String, Object> map, String key) {
        if (map.containsKey(key)) {
            return map.get(key);
        }
        char c = key.charAt(0);
        String flipped = (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c))
                + key.substring(1);
        return map.get(flipped);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<Object> asList(Object value) {
        return value instanceof List<?> l ? new ArrayList<>(l) : value == null ? List.of() : List.of(value);
    }

    private static List<String> asStrings(Object value) {
        return asList(value).stream().map(String::valueOf).toList();
    }

    private record PublicPort(ISecurityGroup group, int port) { }

    /**
     * A resource as the rules see it: its resolved properties and its resolved identity (a security
     * group's {@code GroupId} attribute, any other resource's {@code Ref}).
     */
    private record Judged(CfnResource node, Map<String, Object> props, Object id) { }

    /** Builds {@link ClusterSecurityRules}. */
    public static final class Builder {
        private final List<PublicPort> allowed = new ArrayList<>();

        private Builder() { }

        /**
         * Allows ingress from {@code 0.0.0.0/0} and {@code ::/0} to one TCP port of one group.
         *
         * @param group the security group
         * @param port the TCP port
         * @return this builder
         * @default nothing is allowed
         */
        public Builder allowPublicIngress(ISecurityGroup group, int port) {
            allowed.add(new PublicPort(Objects.requireNonNull(group, "group is required"), port));
            return this;
        }

        /** @return the rules, ready for {@code Aspects.of(scope).add(...)} */
        public ClusterSecurityRules build() {
            return new ClusterSecurityRules(allowed);
        }
    }
}
