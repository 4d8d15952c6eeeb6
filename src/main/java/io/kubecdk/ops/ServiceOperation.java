package io.kubecdk.ops;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;

/**
 * One operation of a client interface: the method that calls it and, when the SDK has one, the
 * method that pages through it. Names match as boto3 users write them: {@code describe_instances}
 * and {@code DescribeInstances} both find {@code describeInstances}; case is ignored, so
 * {@code create_db_instance} finds RDS's {@code createDBInstance}.
 *
 * @param method the client method taking the operation's request
 * @param paginator the client's {@code ...Paginator} method for the same request, if any
 */
public record ServiceOperation(Method method, Optional<Method> paginator) {

    /**
     * Finds an operation on a client interface.
     *
     * @throws InvalidCallException when the interface has no such operation
     */
    public static ServiceOperation find(Class<? extends SdkClient> clientInterface, String service, String operation) {
        var wanted = normalize(operation);
        var method = Arrays.stream(clientInterface.getMethods())
                .filter(m -> isOperation(m) && normalize(m.getName()).equals(wanted))
                .findFirst()
                .orElseThrow(() -> new InvalidCallException("Unknown operation \"" + operation + "\" for service "
                        + service + suggestions(clientInterface, wanted)));
        var paginator = Arrays.stream(clientInterface.getMethods())
                .filter(m -> m.getName().equals(method.getName() + "Paginator")
                        && Arrays.equals(m.getParameterTypes(), method.getParameterTypes())
                        && SdkIterable.class.isAssignableFrom(m.getReturnType()))
                .findFirst();
        return new ServiceOperation(method, paginator);
    }

    /** The request class the operation takes, such as {@code DescribeInstancesRequest}. */
    @SuppressWarnings("unchecked")
    public Class<? extends SdkRequest> requestClass() {
        return (Class<? extends SdkRequest>) method.getParameterTypes()[0];
    }

    private static boolean isOperation(Method m) {
        return m.getParameterCount() == 1
                && SdkRequest.class.isAssignableFrom(m.getParameterTypes()[0])
                && SdkResponse.class.isAssignableFrom(m.getReturnType());
    }

    private static String normalize(String name) {
        return name.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static String suggestions(Class<? extends SdkClient> clientInterface, String wanted) {
        var operations = new TreeSet<String>();
        Arrays.stream(clientInterface.getMethods()).filter(ServiceOperation::isOperation)
                .forEach(m -> operations.add(m.getName()));
        var close = operations.stream()
                .filter(name -> normalize(name).contains(wanted) || wanted.contains(normalize(name)))
                .limit(10)
                .toList();
        return close.isEmpty()
                ? " (" + clientInterface.getSimpleName() + " has " + operations.size() + " operations)"
                : "; did you mean: " + String.join(", ", close);
    }
}
