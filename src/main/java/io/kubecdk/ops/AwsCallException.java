package io.kubecdk.ops;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A call that AWS (or the way to it) refused: an error response of the service, or a client-side
 * failure such as no credentials or no connection. Carries what an operator needs to report it.
 */
public class AwsCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String service;
    private final String operation;
    private final String errorCode;
    private final int statusCode;
    private final String requestId;

    private AwsCallException(String service, String operation, String errorCode, String errorMessage,
                             int statusCode, String requestId, Throwable cause) {
        super(describe(service, operation, errorCode, errorMessage, statusCode, requestId), cause);
        this.service = service;
        this.operation = operation;
        this.errorCode = errorCode;
        this.statusCode = statusCode;
        this.requestId = requestId;
    }

    /** Wraps an SDK failure of {@code operation} on {@code service}, keeping the service's error details. */
    public static AwsCallException of(String service, String operation, SdkException failure) {
        if (failure instanceof AwsServiceException serviceFailure && serviceFailure.awsErrorDetails() != null) {
            var details = serviceFailure.awsErrorDetails();
            return new AwsCallException(service, operation, details.errorCode(), details.errorMessage(),
                    serviceFailure.statusCode(), serviceFailure.requestId(), failure);
        }
        return new AwsCallException(service, operation, null, failure.getMessage(), 0, null, failure);
    }

    /** The boto3 name of the service called. */
    public String service() {
        return service;
    }

    /** The operation called, as given. */
    public String operation() {
        return operation;
    }

    /** The service's error code, such as {@code ValidationError}; null for a client-side failure. */
    public String errorCode() {
        return errorCode;
    }

    /** The HTTP status of the error response; 0 when no response arrived. */
    public int statusCode() {
        return statusCode;
    }

    /** The request id AWS gave the failed request; null when unknown. */
    public String requestId() {
        return requestId;
    }

    private static String describe(String service, String operation, String errorCode, String errorMessage,
                                   int statusCode, String requestId) {
        var text = new StringBuilder("An error occurred");
        if (errorCode != null) {
            text.append(" (").append(errorCode).append(')');
        }
        text.append(" when calling ").append(operation).append(" on ").append(service).append(": ")
                .append(errorMessage);
        if (statusCode != 0) {
            text.append(" [HTTP ").append(statusCode);
            if (requestId != null) {
                text.append(", request id ").append(requestId);
            }
            text.append(']');
        }
        return text.toString();
    }
}
