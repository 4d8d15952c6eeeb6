package io.kubecdk.ops;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Credentials STS issued for a role session, valid until {@code expiration}.
 *
 * @param accessKeyId the temporary access key id ({@code ASIA...})
 * @param secretAccessKey the secret key
 * @param sessionToken the session token that must accompany every signed call
 * @param expiration when the credentials stop working
 */
public record TemporaryCredentials(String accessKeyId, String secretAccessKey, String sessionToken,
                                   Instant expiration) {

    /** Checks that every part is present. */
    public TemporaryCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId is required");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey is required");
        Objects.requireNonNull(sessionToken, "sessionToken is required");
        Objects.requireNonNull(expiration, "expiration is required");
    }

    /** A provider that signs calls with these credentials (it does not renew them). */
    public StaticCredentialsProvider provider() {
        return StaticCredentialsProvider.create(AwsSessionCredentials.builder()
                .accessKeyId(accessKeyId).secretAccessKey(secretAccessKey).sessionToken(sessionToken)
                .expirationTime(expiration).build());
    }

    /** The credentials in the shape of {@code aws sts assume-role}'s {@code Credentials} object. */
    public ObjectNode toJson() {
        var node = JsonNodeFactory.instance.objectNode();
        node.put("AccessKeyId", accessKeyId);
        node.put("SecretAccessKey", secretAccessKey);
        node.put("SessionToken", sessionToken);
        node.put("Expiration", expiration.toString());
        return node;
    }

    /** Shell {@code export} lines of the standard variables, each value single-quoted, for {@code eval}. */
    public String toExportLines() {
        return export("AWS_ACCESS_KEY_ID", accessKeyId)
                + export("AWS_SECRET_ACCESS_KEY", secretAccessKey)
                + export("AWS_SESSION_TOKEN", sessionToken)
                + export("AWS_CREDENTIAL_EXPIRATION", expiration.toString());
    }

    private static String export(String name, String value) {
        return "export " + name + "='" + value.replace("'", "'\\''") + "'\n";
    }
}
