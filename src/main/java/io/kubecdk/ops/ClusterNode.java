package io.kubecdk.ops;

/**
 * A running instance of a cluster, as {@code nodes} lists it.
 *
 * @param instanceId the EC2 instance id
 * @param role the {@code kubecdk:role} tag ({@code master}, {@code minion}, ...), or {@code -} when untagged
 * @param group the {@code kubecdk:group} tag (the minion group), or {@code -} when untagged
 * @param privateIp the private IPv4 address
 * @param availabilityZone the zone the instance runs in
 */
public record ClusterNode(String instanceId, String role, String group, String privateIp, String availabilityZone) {
}
