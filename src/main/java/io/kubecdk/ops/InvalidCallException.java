package io.kubecdk.ops;

/**
 * A call that cannot be made as asked: unknown service, operation or parameter, a parameter of the
 * wrong type, or a missing setting. Nothing was sent to AWS.
 */
public class InvalidCallException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what is wrong and what is allowed. */
    public InvalidCallException(String message) {
        super(message);
    }
}
