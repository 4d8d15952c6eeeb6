/**
 * Operations tools on the AWS SDK for Java v2, with no CDK dependency: {@link io.kubecdk.ops.AwsAction}
 * calls any operation of a known service from a JSON parameter map, {@link io.kubecdk.ops.AssumeRole}
 * obtains temporary credentials, {@link io.kubecdk.ops.ClusterQueries} answers questions about a
 * running cluster, and {@link io.kubecdk.ops.OpsCli} puts them on the command line.
 */
package io.kubecdk.ops;
