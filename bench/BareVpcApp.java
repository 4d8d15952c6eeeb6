import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Vpc;

import java.util.List;

/** The benchmark's floor: a bare three-AZ VPC stack on the same JVM path as the cluster app. */
public final class BareVpcApp {
    private BareVpcApp() { }

    public static void main(String[] args) {
        App app = new App();
        Stack stack = new Stack(app, "bare-vpc", StackProps.builder()
                .env(Environment.builder().region("eu-west-1").build()).build());
        Vpc.Builder.create(stack, "Vpc")
                .ipAddresses(IpAddresses.cidr("10.10.0.0/16"))
                .availabilityZones(List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"))
                .natGateways(1)
                .build();
        app.synth();
    }
}
