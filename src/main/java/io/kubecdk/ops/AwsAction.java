package io.kubecdk.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;

/**
 * Calls any operation of a known service the way boto3's {@code client(service).operation(**params)}
 * does: service by boto3 name (see {@link AwsServices}), operation as {@code describe_instances} or
 * {@code DescribeInstances}, parameters as a JSON map, response as a JSON tree.
 */
public final class AwsAction {
    private final AwsClients clients;

    /** Creates an action that builds its clients with the given factory. */
    public AwsAction(AwsClients clients) {
        this.clients = Objects.requireNonNull(clients, "clients is required");
    }

    /**
     * Makes one call.
     *
     * @param region the region to call, such as {@code us-east-1}
     * @param service boto3 service name, such as {@code autoscaling}
     * @param operation operation name, snake_case or PascalCase
     * @param params a JSON object of parameters keyed by member name; empty object for none
     * @param credentials the credentials that sign the call
     * @return the response tree, with {@code ResponseMetadata}
     * @throws InvalidCallException for an unknown service, operation or parameter (nothing is sent)
     * @throws AwsCallException when AWS answers with an error or cannot be reached
     */
    public ObjectNode invoke(String region, String service, String operation, JsonNode params,
                             AwsCredentialsProvider credentials) {
        var call = prepare(service, operation);
        var request = RequestBinder.bind(call.operation().requestClass(), params);
        try (var client = clients.create(call.clientInterface(), Region.of(region), credentials)) {
            return ResponseJson.of((SdkPojo) call(call.operation().method(), client, request, service, operation));
        }
    }

    /**
     * Makes a call and follows its pagination to the end, like {@code --paginate}: list members of all
     * pages are concatenated in order, other members keep the last page's value (so continuation
     * tokens drop out), and {@code ResponseMetadata} is that of the last page.
     *
     * @throws InvalidCallException also when the operation has no paginator
     * @see #invoke(String, String, String, JsonNode, AwsCredentialsProvider)
     */
    public ObjectNode invokeAll(String region, String service, String operation, JsonNode params,
                                AwsCredentialsProvider credentials) {
        var call = prepare(service, operation);
        var paginator = call.operation().paginator().orElseThrow(() -> new InvalidCallException("Operation "
                + operation + " of " + service + " cannot be paginated; call it without --paginate"));
        var request = RequestBinder.bind(call.operation().requestClass(), params);
        try (var client = clients.create(call.clientInterface(), Region.of(region), credentials)) {
            var pages = (Iterable<?>) call(paginator, client, request, service, operation);
            ObjectNode merged = null;
            try {
                for (var page : pages) {
                    var tree = ResponseJson.of((SdkPojo) page);
                    merged = merged == null ? tree : merge(merged, tree);
                }
            } catch (SdkException e) {
                throw AwsCallException.of(service, operation, e);
            }
            return merged;
        }
    }

    private static ObjectNode merge(ObjectNode merged, ObjectNode page) {
        var result = page.deepCopy();
        merged.properties().forEach(entry -> {
            var next = page.get(entry.getKey());
            if (entry.getValue() instanceof ArrayNode earlier) {
                var all = earlier.deepCopy();
                if (next instanceof ArrayNode later) {
                    all.addAll(later);
                }
                result.set(entry.getKey(), all);
            }
        });
        return result;
    }

    private static Prepared prepare(String service, String operation) {
        var clientInterface = AwsServices.clientInterface(service);
        return new Prepared(clientInterface, ServiceOperation.find(clientInterface, service, operation));
    }

    private static Object call(Method method, SdkClient client, Object request, String service, String operation) {
        try {
            return method.invoke(client, request);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SdkException failure) {
                throw AwsCallException.of(service, operation, failure);
            }
            throw new IllegalStateException("Calling " + operation + " on " + service + " failed", e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot call " + method, e);
        }
    }

    private record Prepared(Class<? extends SdkClient> clientInterface, ServiceOperation operation) {
    }
}
