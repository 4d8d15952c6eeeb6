package io.kubecdk.security;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Suppressions written as CloudFormation metadata, in the form cdk-nag reads. */
class NagSuppressionTest {
    private static final String REASON = "Access logs of this bucket would only log the log bucket.";

    @Test
    void cdkNagHonoursTheMetadataAndARepeatedSuppressionIsWrittenOnce() {
        Stack stack = new Stack(new App(), "Suppressed");
        Bucket bucket = Bucket.Builder.create(stack, "Logs").enforceSsl(true).encryption(BucketEncryption.S3_MANAGED).build();
        NagSuppression s1 = NagSuppression.of("AwsSolutions-S1", REASON);
        NagSuppression.addTo(bucket, false, s1);
        NagSuppression.addTo(bucket, false, s1);
        Aspects.of(stack).add(new AwsSolutionsChecks());
        assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-S1.*"))).isEmpty();
        assertThat(Template.fromStack(stack).findResources("AWS::S3::Bucket").values()).singleElement()
                .extracting(r -> ((Map<?, ?>) r).get("Metadata"))
                .isEqualTo(Map.of("cdk_nag", Map.of("rules_to_suppress", List.of(Map.of("reason", REASON, "id", "AwsSolutions-S1")))));
    }

    @Test
    void findingsAndPatternsAreWrittenAsAppliesToAndAReasonBeyondLatin1IsEncodedAsCdkNagDoes() {
        Stack stack = new Stack(new App(), "Encoded");
        Bucket bucket = new Bucket(stack, "Bucket");
        String reason = "Objects are named at run time → a wildcard is the narrowest grant.";
        NagSuppression.addTo(bucket, false, NagSuppression.of("AwsSolutions-IAM5", reason)
                .appliesTo("Resource::*").appliesToPattern("/^Action::s3:.*$/"));
        Map<?, ?> rule = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) Template.fromStack(stack)
                .findResources("AWS::S3::Bucket").values().iterator().next()).get("Metadata")).get("cdk_nag"))
                .get("rules_to_suppress")).get(0);
        assertThat(rule).isEqualTo(Map.of("id", "AwsSolutions-IAM5", "is_reason_encoded", true,
                "reason", Base64.getEncoder().encodeToString(reason.getBytes(StandardCharsets.UTF_8)),
                "applies_to", List.of("Resource::*", Map.of("regex", "/^Action::s3:.*$/"))));
    }

    @Test
    void whatCdkNagWouldRejectIsRejectedWhenTheSuppressionIsMade() {
        assertThatThrownBy(() -> NagSuppression.of("AwsSolutions-IAM5[Resource::*]", REASON))
                .hasMessageContaining("a finding belongs in appliesTo");
        assertThatThrownBy(() -> NagSuppression.of("AwsSolutions-S1", "too short"))
                .hasMessageContaining("10 characters or more");
        assertThatThrownBy(() -> NagSuppression.of("AwsSolutions-IAM5", REASON).appliesToPattern("^Resource::*$"))
                .hasMessageContaining("pattern ^Resource::*$ is not written /.../flags");
    }
}
