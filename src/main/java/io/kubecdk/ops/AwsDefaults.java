package io.kubecdk.ops;

import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Where the command line finds credentials and a region when the user names none: the SDK's
 * default chains, as the AWS CLI uses them ({@code AWS_PROFILE}, environment, config files, SSO,
 * instance role ...). Tests supply fixed answers instead.
 */
public interface AwsDefaults {

    /** The credentials of the named profile, or of the default chain when none is named. */
    AwsCredentialsProvider credentials(Optional<String> profile);

    /** The region from {@code AWS_REGION}, the profile or instance metadata, if any is set. */
    Optional<String> region(Optional<String> profile);

    /** The SDK's default credentials and region chains. */
    static AwsDefaults sdk() {
        return new AwsDefaults() {
            @Override
            public AwsCredentialsProvider credentials(Optional<String> profile) {
                return profile.<AwsCredentialsProvider>map(ProfileCredentialsProvider::create)
                        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
            }

            @Override
            public Optional<String> region(Optional<String> profile) {
                var chain = DefaultAwsRegionProviderChain.builder();
                profile.ifPresent(chain::profileName);
                try {
                    return Optional.of(chain.build().getRegion().id());
                } catch (SdkClientException e) {
                    return Optional.empty();
                }
            }
        };
    }
}
