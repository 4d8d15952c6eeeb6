package io.kubecdk.security;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.Stack;
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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    private final List<PublicPort> allowedPublic;

    private ClusterSecurityRules(List<PublicPort> allowedPublic) {
        this.allowedPublic = List.copyOf(allowedPublic);
    }

    /** @return a builder; with nothing allowed, any ingress from anywhere is an error */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void visit(IConstruct node) {
        if (node instanceof CfnLaunchTemplate lt) {
            checkLaunchTemplate(lt);
        } else if (node instanceof CfnVolume volume) {
            if (!isTrue(resolve(node, volume.getEncrypted()))) {
                error(node, EBS_ENCRYPTION, "EBS volume is not encrypted (set Encrypted: true).");
            }
        } else if (node instanceof CfnSecurityGroup sg) {
            Object rules = resolve(node, sg.getSecurityGroupIngress());
            for (Object rule : asList(rules)) {
                checkIngress(node, sg, null, asMap(rule));
            }
        } else if (node instanceof CfnSecurityGroupIngress ingress) {
            // One resolve for all fields: each call is a round trip to the CDK's JavaScript runtime.
            Map<String, Object> fields = new HashMap<>();
            fields.put("cidrIp", ingress.getCidrIp());
            fields.put("cidrIpv6", ingress.getCidrIpv6());
            fields.put("ipProtocol", ingress.getIpProtocol());
            fields.put("fromPort", ingress.getFromPort());
            fields.put("toPort", ingress.getToPort());
            fields.put("groupId", ingress.getGroupId());
            fields.values().removeIf(Objects::isNull);
            Map<String, Object> resolved = asMap(resolve(node, fields));
            Map<String, Object> rule = new HashMap<>();
            for (String key : List.of("cidrIp", "cidrIpv6", "ipProtocol", "fromPort", "toPort")) {
                rule.put(key, String.valueOf(resolved.get(key)));
            }
            checkIngress(node, null, resolved.get("groupId"), rule);
        } else if (node instanceof CfnPolicy policy) {
            checkPolicyDocument(node, resolve(node, policy.getPolicyDocument()));
        } else if (node instanceof CfnManagedPolicy policy) {
            checkPolicyDocument(node, resolve(node, policy.getPolicyDocument()));
        } else if (node instanceof CfnRole role) {
            for (Object policy : asList(resolve(node, role.getPolicies()))) {
                checkPolicyDocument(node, get(asMap(policy), "policyDocument"));
            }
        } else if (node instanceof CfnBucket bucket) {
            checkBucket(bucket);
        }
    }

    private void checkLaunchTemplate(CfnLaunchTemplate lt) {
        Map<String, Object> data = asMap(resolve(lt, lt.getLaunchTemplateData()));
        Object tokens = get(asMap(get(data, "metadataOptions")), "httpTokens");
        if (!"required".equals(tokens)) {
            error(lt, IMDSV2, "launch template does not require IMDSv2 (MetadataOptions.HttpTokens is "
                    + (tokens == null ? "unset" : "'" + tokens + "'") + ", must be 'required').");
        }
        for (Object mapping : asList(get(data, "blockDeviceMappings"))) {
            Map<String, Object> m = asMap(mapping);
            Map<String, Object> ebs = asMap(get(m, "ebs"));
            if (!ebs.isEmpty() && !isTrue(get(ebs, "encrypted"))) {
                error(lt, EBS_ENCRYPTION, "launch template block device " + get(m, "deviceName")
                        + " is not encrypted (set Ebs.Encrypted: true).");
            }
        }
    }

    private void checkIngress(IConstruct node, CfnSecurityGroup group, Object groupId, Map<String, Object> rule) {
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
        for (PublicPort allowed : allowedPublic) {
            if (tcp && from.equals(to) && from.equals(String.valueOf(allowed.port())) && isGroup(node, group, groupId,
                    allowed.group())) {
                return;
            }
        }
        error(node, PUBLIC_INGRESS, "security group allows " + protocol + " " + (from.equals(to) ? from : from + "-" + to)
                + " from " + source + "; only the ports allowed with allowPublicIngress may be open to anywhere.");
    }

    private static boolean isGroup(IConstruct node, CfnSecurityGroup group, Object groupId, ISecurityGroup allowed) {
        if (group != null) {
            return allowed.getNode().getDefaultChild() == null ? false
                    : allowed.getNode().getDefaultChild().getNode().getPath().equals(group.getNode().getPath());
        }
        return Objects.equals(groupId, Stack.of(node).resolve(allowed.getSecurityGroupId()));
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

    private static void checkBucket(CfnBucket bucket) {
        Map<String, Object> block = asMap(resolve(bucket, bucket.getPublicAccessBlockConfiguration()));
        for (String setting : List.of("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")) {
            if (!isTrue(get(block, setting))) {
                error(bucket, BUCKET_PUBLIC_ACCESS, "bucket does not block public access ("
                        + "PublicAccessBlockConfiguration." + Character.toUpperCase(setting.charAt(0))
                        + setting.substring(1) + " must be true).");
                break;
            }
        }
        Stack stack = Stack.of(bucket);
        Object ref = stack.resolve(bucket.getRef());
        boolean deniesPlainHttp = stack.getNode().findAll().stream()
                .filter(CfnBucketPolicy.class::isInstance).map(CfnBucketPolicy.class::cast)
                .filter(p -> Objects.equals(stack.resolve(p.getBucket()), ref))
                .flatMap(p -> asList(get(asMap(stack.resolve(p.getPolicyDocument())), "Statement")).stream())
                .map(ClusterSecurityRules::asMap)
                .anyMatch(s -> "Deny".equals(get(s, "Effect"))
                        && "false".equals(String.valueOf(get(asMap(get(asMap(get(s, "Condition")), "Bool")),
                        "aws:SecureTransport"))));
        if (!deniesPlainHttp) {
            error(bucket, BUCKET_TLS, "bucket policy does not deny requests without TLS "
                    + "(a Deny statement with Condition Bool aws:SecureTransport false; enforceSSL on the L2 bucket).");
        }
    }

    private static void error(IConstruct node, String rule, String message) {
        Annotations.of(node).addError(rule + ": " + message);
    }

    private static Object resolve(IConstruct node, Object value) {
        return value == null ? null : Stack.of(node).resolve(value);
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
