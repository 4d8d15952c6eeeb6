package io.kubecdk.ops;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * A request for temporary credentials of an IAM role, as {@code aws sts assume-role} makes it.
 * Build one with {@link #builder(String)}, then either take the credentials once with
 * {@link #credentials(StsClient)} or hand long jobs a {@link #refreshingProvider(StsClient)}.
 */
public final class AssumeRole {
    private static final DateTimeFormatter SESSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final AssumeRoleRequest request;

    private AssumeRole(AssumeRoleRequest request) {
        this.request = request;
    }

    /**
     * Starts a request for the given role.
     *
     * @param roleArn the role to assume, such as {@code arn:aws:iam::123456789012:role/ops}
     */
    public static Builder builder(String roleArn) {
        return new Builder(roleArn);
    }

    /**
     * A session name that tells in CloudTrail who assumed the role and when:
     * {@code <user>-<yyyyMMddTHHmmssZ>}, with characters STS rejects replaced by {@code -}, at most 64 long.
     */
    public static String defaultSessionName(String user, Instant now) {
        var time = SESSION_TIME.format(now);
        var name = user.replaceAll("[^\\w+=,.@-]", "-");
        return name.substring(0, Math.min(name.length(), 63 - time.length())) + "-" + time;
    }

    /** The STS request this will send. */
    public AssumeRoleRequest request() {
        return request;
    }

    /**
     * Calls STS once.
     *
     * @throws AwsCallException when STS refuses, e.g. the caller may not assume the role
     */
    public TemporaryCredentials credentials(StsClient sts) {
        try {
            var issued = sts.assumeRole(request).credentials();
            return new TemporaryCredentials(issued.accessKeyId(), issued.secretAccessKey(), issued.sessionToken(),
                    issued.expiration());
        } catch (SdkException e) {
            throw AwsCallException.of("sts", "AssumeRole", e);
        }
    }

    /**
     * A provider that assumes the role on first use and again before the credentials expire, for jobs
     * that outlive one session. An MFA token code cannot be reused, so with MFA it lasts one session.
     * The caller closes it.
     */
    public StsAssumeRoleCredentialsProvider refreshingProvider(StsClient sts) {
        return StsAssumeRoleCredentialsProvider.builder().stsClient(sts).refreshRequest(request).build();
    }

    /** Collects the settings of an {@link AssumeRole}. */
    public static final class Builder {
        private final AssumeRoleRequest.Builder request = AssumeRoleRequest.builder();
        private String sessionName;
        private Duration duration = Duration.ofHours(1);
        private String serialNumber;
        private String tokenCode;

        private Builder(String roleArn) {
            request.roleArn(Objects.requireNonNull(roleArn, "roleArn is required"));
        }

        /**
         * The session name recorded in CloudTrail and in the assumed-role ARN.
         *
         * @default {@link #defaultSessionName(String, Instant)} of the OS user and now
         */
        public Builder sessionName(String sessionName) {
            this.sessionName = sessionName;
            return this;
        }

        /**
         * How long the credentials last, between 15 minutes and 12 hours (the role's maximum applies).
         *
         * @default 3600 seconds
         */
        public Builder duration(Duration duration) {
            this.duration = Objects.requireNonNull(duration, "duration is required");
            return this;
        }

        /**
         * The external id the role's trust policy requires.
         *
         * @default none
         */
        public Builder externalId(String externalId) {
            request.externalId(externalId);
            return this;
        }

        /**
         * The MFA device and its current code, when the trust policy requires MFA; both or neither.
         *
         * @default no MFA
         */
        public Builder mfa(String serialNumber, String tokenCode) {
            this.serialNumber = serialNumber;
            this.tokenCode = tokenCode;
            return this;
        }

        /**
         * An inline session policy (JSON) that narrows what the role may do in this session.
         *
         * @default none (the role's own permissions)
         */
        public Builder policy(String policy) {
            request.policy(policy);
            return this;
        }

        /**
         * Resolves defaults and validates.
         *
         * @throws InvalidCallException for a duration out of range or half an MFA pair
         */
        public AssumeRole build() {
            if (duration.compareTo(Duration.ofMinutes(15)) < 0 || duration.compareTo(Duration.ofHours(12)) > 0) {
                throw new InvalidCallException("duration: " + duration.toSeconds()
                        + " seconds is outside 900..43200");
            }
            if ((serialNumber == null) != (tokenCode == null)) {
                throw new InvalidCallException("mfa: the serial number and the token code go together");
            }
            var name = sessionName != null ? sessionName
                    : defaultSessionName(System.getProperty("user.name", "kubecdk"), Instant.now());
            return new AssumeRole(request.roleSessionName(name).durationSeconds((int) duration.toSeconds())
                    .serialNumber(serialNumber).tokenCode(tokenCode).build());
        }
    }
}
