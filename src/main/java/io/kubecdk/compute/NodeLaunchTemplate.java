package io.kubecdk.compute;

import io.kubecdk.security.NagSuppression;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.IMachineImage;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.InstanceArchitecture;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.LaunchTemplateHttpTokens;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.OperatingSystemType;
import software.amazon.awscdk.services.ec2.SsmParameterImageOptions;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.IRole;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;

/**
 * The launch template every node shares the shape of: IMDSv2 required (hop limit 1, so pods cannot
 * borrow the node's credentials), encrypted gp3 volumes, Amazon Linux 2023 of the instance type's
 * architecture through its public SSM parameter unless the spec names another, the node's role and
 * security group, and its rendered user-data.
 */
final class NodeLaunchTemplate {
    /** Public SSM parameter of the newest Amazon Linux 2023 AMI, without its architecture suffix. */
    static final String AMAZON_LINUX_2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-";
    /** cdk-nag's AwsSolutions-AS3 (no scaling notifications), which every node group answers the same way. */
    static final NagSuppression NO_SCALING_NOTIFICATIONS = NagSuppression.of("AwsSolutions-AS3",
            "Scaling events are recorded in the group's activity history, in CloudTrail and on the "
                    + "default EventBridge bus (source aws.autoscaling), and a node that joins or leaves shows "
                    + "in the Kubernetes API. The library creates no notification topic without subscribers; an "
                    + "app that wants alerts subscribes to the EventBridge events.");

    private NodeLaunchTemplate() { }

    /**
     * @param scope where to create the template
     * @param instanceType EC2 instance type
     * @param imageParameter SSM parameter of the AMI, or {@code null} for Amazon Linux 2023
     * @param rootVolumeSize root volume in GiB
     * @param etcdVolumeSize etcd volume in GiB, or 0 for none
     * @param role the node's role
     * @param securityGroup the node's security group
     * @param userData the rendered user-data
     * @param publicAddress whether the node gets a public address (public subnets only)
     * @return the launch template, with id {@code LaunchTemplate}
     */
    static LaunchTemplate create(Construct scope, String instanceType, String imageParameter, int rootVolumeSize,
                                 int etcdVolumeSize, IRole role, ISecurityGroup securityGroup, String userData,
                                 boolean publicAddress) {
        InstanceType type = new InstanceType(instanceType);
        List<BlockDevice> devices = new ArrayList<>();
        devices.add(gp3("/dev/xvda", rootVolumeSize));
        if (etcdVolumeSize > 0) {
            devices.add(gp3(MasterGroup.ETCD_DEVICE, etcdVolumeSize));
        }
        return LaunchTemplate.Builder.create(scope, "LaunchTemplate")
                .instanceType(type)
                .machineImage(image(type, imageParameter))
                .requireImdsv2(true)
                .httpTokens(LaunchTemplateHttpTokens.REQUIRED)
                .httpPutResponseHopLimit(1)
                .blockDevices(devices)
                .role(role)
                .securityGroup(securityGroup)
                .userData(UserData.custom(userData))
                .associatePublicIpAddress(publicAddress)
                .build();
    }

    private static IMachineImage image(InstanceType type, String imageParameter) {
        String parameter = imageParameter != null ? imageParameter : AMAZON_LINUX_2023
                + (type.getArchitecture() == InstanceArchitecture.ARM_64 ? "arm64" : "x86_64");
        return MachineImage.fromSsmParameter(parameter,
                SsmParameterImageOptions.builder().os(OperatingSystemType.LINUX).build());
    }

    private static BlockDevice gp3(String device, int sizeGib) {
        return BlockDevice.builder().deviceName(device)
                .volume(BlockDeviceVolume.ebs(sizeGib, EbsDeviceOptions.builder()
                        .volumeType(EbsDeviceVolumeType.GP3).encrypted(true).deleteOnTermination(true).build()))
                .build();
    }
}
