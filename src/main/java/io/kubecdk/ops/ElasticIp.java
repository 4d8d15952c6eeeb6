package io.kubecdk.ops;

import java.util.Optional;

/**
 * An address of an environment's Elastic IP pool and the node holding it.
 *
 * @param allocationId the allocation id ({@code eipalloc-...})
 * @param publicIp the public IPv4 address
 * @param pool the {@code kubecdk:eip-pool} tag
 * @param instanceId the instance the address is associated with; empty when free
 */
public record ElasticIp(String allocationId, String publicIp, String pool, Optional<String> instanceId) {
}
