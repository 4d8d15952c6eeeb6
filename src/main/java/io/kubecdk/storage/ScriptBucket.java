package io.kubecdk.storage;

import io.kubecdk.security.NagSuppression;
import io.kubecdk.spec.BucketSpec;
import io.kubecdk.userdata.ScriptsBundle;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cluster's S3 bucket: the node scripts bundle under {@code scripts/<hash>/}, join data under
 * {@code join/}, and etcd backups under {@code etcd-backups/}.
 *
 * <p>Public access is blocked, TLS is enforced, objects are encrypted and versioned, and the bucket
 * outlives the stack unless the spec opts into destroying it. Its server access logs go to a second,
 * dedicated bucket ({@code AccessLogs}, same protections, logs expire after
 * {@value #ACCESS_LOG_RETENTION_DAYS} days). A superseded backup (tagged
 * {@code kubecdk:superseded=true} by the backup script once a newer one exists) expires after the
 * retention period; the newest backup is never tagged, so it is never expired.
 */
public class ScriptBucket extends Construct {
    /** Days the bucket's server access logs are kept. */
    public static final int ACCESS_LOG_RETENTION_DAYS = 365;
    /** Key prefix of the server access logs in the log bucket. */
    public static final String ACCESS_LOG_PREFIX = "script-bucket/";

    private final Bucket accessLogs;
    private final Bucket bucket;
    private final ScriptsBundle bundle;

    /**
     * @param scope the parent
     * @param id the construct id
     * @param spec the bucket's name, removal and backup retention
     * @param bundle the scripts bundle to upload
     */
    public ScriptBucket(Construct scope, String id, BucketSpec spec, ScriptsBundle bundle) {
        super(scope, id);
        Objects.requireNonNull(spec, "spec is required");
        this.bundle = Objects.requireNonNull(bundle, "bundle is required");
        // Log delivery through a bucket policy (to the logging service principal, scoped to the source
        // bucket) rather than the legacy LogDeliveryWrite ACL, so the log bucket keeps ACLs disabled.
        // Set on this construct before its children exist, whatever the app's own feature flags say.
        getNode().setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
        this.accessLogs = createAccessLogBucket(spec);
        this.bucket = createBucket(spec);
        deployScripts();
    }

    /** @return the bucket */
    public Bucket getBucket() {
        return bucket;
    }

    /** @return the bucket receiving the main bucket's server access logs */
    public Bucket getAccessLogBucket() {
        return accessLogs;
    }

    /** @return the scripts bundle deployed into the bucket */
    public ScriptsBundle getBundle() {
        return bundle;
    }

    private Bucket createBucket(BucketSpec spec) {
        return privateBucket("Bucket", spec)
                .bucketName(spec.bucketName())
                .versioned(true)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("ExpireSupersededBackups").prefix(BucketSpec.BACKUP_PREFIX)
                                .tagFilters(Map.of(BucketSpec.SUPERSEDED_TAG, "true"))
                                .expiration(Duration.days(spec.backupRetentionDays())).build(),
                        LifecycleRule.builder().id("ExpireOldVersions")
                                .noncurrentVersionExpiration(Duration.days(spec.backupRetentionDays()))
                                .abortIncompleteMultipartUploadAfter(Duration.days(7)).build()))
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix(ACCESS_LOG_PREFIX)
                .build();
    }

    private Bucket createAccessLogBucket(BucketSpec spec) {
        Bucket logs = privateBucket("AccessLogs", spec)
                .lifecycleRules(List.of(LifecycleRule.builder().id("ExpireAccessLogs")
                        .expiration(Duration.days(ACCESS_LOG_RETENTION_DAYS))
                        .abortIncompleteMultipartUploadAfter(Duration.days(7)).build()))
                .build();
        NagSuppression.addTo(logs, false, NagSuppression.of("AwsSolutions-S1",
                "This is the access-log bucket of the cluster bucket; logging its own accesses into itself "
                        + "would loop, and into a third bucket would only move the question. Its writes come from "
                        + "the S3 logging service alone (bucket policy scoped to the source bucket)."));
        return logs;
    }

    /**
     * A bucket builder with what both buckets share: public access blocked, TLS enforced, SSE-S3 (the only
     * encryption S3 server access log delivery supports), ACLs disabled, and the spec's removal.
     */
    private Bucket.Builder privateBucket(String id, BucketSpec spec) {
        return Bucket.Builder.create(this, id)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .removalPolicy(spec.destroyOnRemoval() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
                .autoDeleteObjects(spec.destroyOnRemoval());
    }

    private void deployScripts() {
        Path staged = bundle.stageIn(Path.of(System.getProperty("java.io.tmpdir")));
        BucketDeployment deployment = BucketDeployment.Builder.create(this, "Scripts")
                .sources(List.of(Source.asset(staged.toString())))
                .destinationBucket(bucket)
                .destinationKeyPrefix(bundle.keyPrefix())
                // The prefix is content-addressed: older bundles stay for nodes that still boot from them.
                .prune(false)
                .build();
        // The deployment's Lambda is a singleton aws-cdk-lib creates at the stack's root
        // (Custom::CDKBucketDeployment<uuid>); its role is our handle on it.
        NagSuppression.addTo(deployment.getHandlerRole().getNode().getScope(), true,
                NagSuppression.of("AwsSolutions-L1",
                        "aws-cdk-lib's BucketDeployment pins the runtime of its own Lambda; it moves with "
                                + "aws-cdk-lib upgrades. The function runs only during deployments, invoked by "
                                + "CloudFormation."),
                NagSuppression.of("AwsSolutions-IAM4",
                        "AWSLambdaBasicExecutionRole on aws-cdk-lib's BucketDeployment Lambda only lets it "
                                + "write its own CloudWatch logs.")
                        .appliesTo("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                                + "AWSLambdaBasicExecutionRole"),
                NagSuppression.of("AwsSolutions-IAM5",
                        "aws-cdk-lib's BucketDeployment grants its Lambda read on the CDK bootstrap assets "
                                + "bucket (s3:GetObject*, s3:GetBucket*, s3:List*) and read-write on objects of the "
                                + "cluster bucket it copies the scripts bundle into (s3:DeleteObject*, s3:Abort*); "
                                + "both are bucket-scoped, and object keys are not known before deployment.")
                        .appliesTo("Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*",
                                "Action::s3:DeleteObject*", "Action::s3:Abort*")
                        .appliesToPattern("/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-.+\\/\\*$/")
                        .appliesToPattern("/^Resource::<[A-Za-z0-9]+\\.Arn>\\/\\*$/"));
    }
}
