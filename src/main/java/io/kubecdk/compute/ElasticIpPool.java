package io.kubecdk.compute;

import io.kubecdk.security.ClusterRoles;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ec2.CfnEIP;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;

/**
 * Pre-allocated Elastic IPs for a load-balancer minion group, tagged with the pool's name so that
 * the group's nodes (and only they) can find and claim them. Addresses stay stable across node
 * replacements, so DNS and allow-lists pointing at them keep working.
 *
 * <p>aws-cdk-lib has no L2 construct for Elastic IPs; this uses {@link CfnEIP}.
 */
public class ElasticIpPool extends Construct {
    private final String poolName;
    private final List<CfnEIP> addresses = new ArrayList<>();

    /**
     * @param scope the parent
     * @param id the construct id
     * @param poolName the value of the pool tag on every address
     * @param size how many addresses to allocate
     */
    public ElasticIpPool(Construct scope, String id, String poolName, int size) {
        super(scope, id);
        this.poolName = poolName;
        for (int i = 0; i < size; i++) {
            CfnEIP eip = CfnEIP.Builder.create(this, "Address" + i).domain("vpc").build();
            Tags.of(eip).add(ClusterRoles.EIP_POOL_TAG, poolName);
            addresses.add(eip);
        }
    }

    /** @return the pool's name, the value of its addresses' pool tag */
    public String getPoolName() {
        return poolName;
    }

    /** @return the addresses, in allocation order */
    public List<CfnEIP> getAddresses() {
        return List.copyOf(addresses);
    }
}
