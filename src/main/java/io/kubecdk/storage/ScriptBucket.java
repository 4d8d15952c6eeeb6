package io.kubecdk.storage;

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
 * outlives the stack unless the spec opts into destroying it. A superseded backup (tagged
 * {@code kubecdk:superseded=true} by the backup script once a newer one exists) expires after the
 * retention period; the newest backup is never tagged, so it is never expired.
 */
public class ScriptBucket extends Construct {
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
        this.bucket = createBucket(spec);
        deployScripts();
    }

    /** @return the bucket */
    public Bucket getBucket() {
        return bucket;
    }

    /** @return the scripts bundle deployed into the bucket */
    public ScriptsBundle getBundle() {
        return bundle;
    }

    private Bucket createBucket(BucketSpec spec) {
        return Bucket.Builder.create(this, "Bucket")
                .bucketName(spec.bucketName())
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(true)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("ExpireSupersededBackups").prefix(BucketSpec.BACKUP_PREFIX)
                                .tagFilters(Map.of(BucketSpec.SUPERSEDED_TAG, "true"))
                                .expiration(Duration.days(spec.backupRetentionDays())).build(),
                        LifecycleRule.builder().id("ExpireOldVersions")
                                .noncurrentVersionExpiration(Duration.days(spec.backupRetentionDays()))
                                .abortIncompleteMultipartUploadAfter(Duration.days(7)).build()))
                .removalPolicy(spec.destroyOnRemoval() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
                .autoDeleteObjects(spec.destroyOnRemoval())
                .build();
    }

    private void deployScripts() {
        Path staged = bundle.stageIn(Path.of(System.getProperty("java.io.tmpdir")));
        BucketDeployment.Builder.create(this, "Scripts")
                .sources(List.of(Source.asset(staged.toString())))
                .destinationBucket(bucket)
                .destinationKeyPrefix(bundle.keyPrefix())
                // The prefix is content-addressed: older bundles stay for nodes that still boot from them.
                .prune(false)
                .build();
    }
}
