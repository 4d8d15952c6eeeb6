package io.kubecdk.ops;

import java.time.Duration;
import java.time.Instant;

/**
 * An etcd snapshot in the script bucket, {@code etcd-backups/<yyyyMMddTHHmmssZ>/snapshot.db}.
 *
 * @param key the object key of the snapshot
 * @param takenAt the time in its key
 * @param age how long ago that was
 * @param size the snapshot's size in bytes
 * @param checksumPresent whether the sibling {@code snapshot.db.sha256} exists
 */
public record EtcdBackup(String key, Instant takenAt, Duration age, long size, boolean checksumPresent) {
}
