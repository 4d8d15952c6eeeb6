package io.kubecdk.ops;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds SDK clients through their static {@code builder()}, all sharing one HTTP client. Without an
 * endpoint override the SDK resolves the endpoint itself, honouring {@code AWS_ENDPOINT_URL},
 * {@code AWS_ENDPOINT_URL_<SERVICE>} and the profile's {@code endpoint_url}.
 */
public final class AwsClients implements AutoCloseable {
    private final Optional<URI> endpointOverride;
    private final Optional<String> profileName;
    private final SdkHttpClient httpClient = UrlConnectionHttpClient.create();

    /**
     * Creates a factory.
     *
     * @param endpointOverride the endpoint every client calls, as {@code --endpoint-url}; empty for the SDK's own
     * @param profileName the profile whose settings (endpoint, retries) clients read; empty for the default
     */
    public AwsClients(Optional<URI> endpointOverride, Optional<String> profileName) {
        this.endpointOverride = endpointOverride;
        this.profileName = profileName;
    }

    /**
     * Builds a client of the given interface; the caller closes it.
     *
     * @param clientInterface an SDK v2 client interface such as {@code Ec2Client.class}
     */
    public <C extends SdkClient> C create(Class<C> clientInterface, Region region, AwsCredentialsProvider credentials) {
        Object builder;
        try {
            builder = clientInterface.getMethod("builder").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(clientInterface.getName() + " has no static builder()", e);
        }
        var awsBuilder = (AwsClientBuilder<?, ?>) builder;
        awsBuilder.region(region);
        awsBuilder.credentialsProvider(credentials);
        profileName.ifPresent(name -> awsBuilder.overrideConfiguration(o -> o.defaultProfileName(name)));
        endpointOverride.ifPresent(endpoint -> {
            awsBuilder.endpointOverride(endpoint);
            if (builder instanceof S3ClientBuilder s3) {
                s3.forcePathStyle(true);
            }
        });
        ((SdkSyncClientBuilder<?, ?>) builder).httpClient(httpClient);
        return clientInterface.cast(awsBuilder.build());
    }

    /** Closes the shared HTTP client. */
    @Override
    public void close() {
        httpClient.close();
    }
}
