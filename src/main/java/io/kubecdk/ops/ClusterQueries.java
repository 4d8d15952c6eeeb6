package io.kubecdk.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Questions operators ask about a running cluster, answered from the tags kubecdk puts on its
 * resources ({@code kubecdk:environment}, {@code kubecdk:role}, {@code kubecdk:group},
 * {@code kubecdk:eip-pool}) through {@link AwsAction}.
 */
public final class ClusterQueries {
    /** The key prefix of etcd snapshots in the script bucket. */
    public static final String BACKUP_PREFIX = "etcd-backups/";

    private static final Pattern SNAPSHOT_KEY = Pattern.compile(
            Pattern.quote(BACKUP_PREFIX) + "(\\d{8}T\\d{6}Z)/snapshot\\.db");
    private static final DateTimeFormatter SNAPSHOT_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final AwsAction action;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;

    /**
     * Creates queries against one region.
     *
     * @param clock the clock backup ages are measured against
     */
    public ClusterQueries(AwsAction action, String region, AwsCredentialsProvider credentials, Clock clock) {
        this.action = Objects.requireNonNull(action, "action is required");
        this.region = Objects.requireNonNull(region, "region is required");
        this.credentials = Objects.requireNonNull(credentials, "credentials is required");
        this.clock = Objects.requireNonNull(clock, "clock is required");
    }

    /**
     * The private IP of the environment's running master; the most recently launched one while a
     * replacement overlaps the old master.
     */
    public Optional<String> masterIp(String environment) {
        return instances(filters(environment).add(filter("tag:kubecdk:role", "master")))
                .max(Comparator.comparing(i -> i.path("LaunchTime").asText()))
                .map(i -> i.path("PrivateIpAddress").asText());
    }

    /** The running instances of the environment per availability zone, sorted by role, group and id. */
    public SortedMap<String, List<ClusterNode>> nodes(String environment) {
        var byZone = new TreeMap<String, List<ClusterNode>>();
        instances(filters(environment)).forEach(i -> {
            var node = new ClusterNode(i.path("InstanceId").asText(), tag(i, "kubecdk:role").orElse("-"),
                    tag(i, "kubecdk:group").orElse("-"), i.path("PrivateIpAddress").asText(),
                    i.path("Placement").path("AvailabilityZone").asText());
            byZone.computeIfAbsent(node.availabilityZone(), zone -> new ArrayList<>()).add(node);
        });
        byZone.values().forEach(nodes -> nodes.sort(Comparator.comparing(ClusterNode::role)
                .thenComparing(ClusterNode::group).thenComparing(ClusterNode::instanceId)));
        return byZone;
    }

    /** The newest etcd snapshot in the bucket by key, with its age now. */
    public Optional<EtcdBackup> newestBackup(String bucket) {
        var params = JsonNodeFactory.instance.objectNode().put("Bucket", bucket).put("Prefix", BACKUP_PREFIX);
        var objects = action.invokeAll(region, "s3", "list_objects_v2", params, credentials).path("Contents");
        var keys = new HashSet<String>();
        objects.forEach(o -> keys.add(o.path("Key").asText()));
        return StreamSupport.stream(objects.spliterator(), false)
                .filter(o -> SNAPSHOT_KEY.matcher(o.path("Key").asText()).matches())
                .max(Comparator.comparing(o -> o.path("Key").asText()))
                .map(o -> {
                    var key = o.path("Key").asText();
                    var matcher = SNAPSHOT_KEY.matcher(key);
                    matcher.matches();
                    var takenAt = Instant.from(SNAPSHOT_TIME.parse(matcher.group(1)));
                    return new EtcdBackup(key, takenAt, Duration.between(takenAt, clock.instant()),
                            o.path("Size").asLong(), keys.contains(key + ".sha256"));
                });
    }

    /** The addresses of the environment's Elastic IP pools, sorted by pool and address. */
    public List<ElasticIp> elasticIps(String environment) {
        var filters = JsonNodeFactory.instance.arrayNode()
                .add(filter("tag:kubecdk:environment", environment))
                .add(filter("tag-key", "kubecdk:eip-pool"));
        var params = JsonNodeFactory.instance.objectNode().set("Filters", filters);
        var addresses = new ArrayList<ElasticIp>();
        action.invoke(region, "ec2", "describe_addresses", params, credentials).path("Addresses").forEach(a ->
                addresses.add(new ElasticIp(a.path("AllocationId").asText(), a.path("PublicIp").asText(),
                        tag(a, "kubecdk:eip-pool").orElse("-"),
                        Optional.ofNullable(a.get("InstanceId")).map(JsonNode::asText))));
        addresses.sort(Comparator.comparing(ElasticIp::pool).thenComparing(ElasticIp::publicIp));
        return addresses;
    }

    private Stream<JsonNode> instances(ArrayNode filters) {
        var params = JsonNodeFactory.instance.objectNode().set("Filters", filters);
        var reservations = action.invokeAll(region, "ec2", "describe_instances", params, credentials)
                .path("Reservations");
        return StreamSupport.stream(reservations.spliterator(), false)
                .flatMap(r -> StreamSupport.stream(r.path("Instances").spliterator(), false));
    }

    private static ArrayNode filters(String environment) {
        return JsonNodeFactory.instance.arrayNode()
                .add(filter("tag:kubecdk:environment", environment))
                .add(filter("instance-state-name", "running"));
    }

    private static ObjectNode filter(String name, String value) {
        var filter = JsonNodeFactory.instance.objectNode().put("Name", name);
        filter.putArray("Values").add(value);
        return filter;
    }

    private static Optional<String> tag(JsonNode resource, String key) {
        return StreamSupport.stream(resource.path("Tags").spliterator(), false)
                .filter(t -> key.equals(t.path("Key").asText()))
                .map(t -> t.path("Value").asText())
                .findFirst();
    }
}
