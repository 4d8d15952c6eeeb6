package io.kubecdk.userdata;

/** Quotes values for bash: the one place where a value enters a shell script. */
public final class ShellQuote {
    private ShellQuote() { }

    /**
     * Wraps a value in single quotes, writing each embedded {@code '} as {@code '\''}, so bash reads it
     * back byte for byte with no expansion.
     *
     * @param value any text, including CDK tokens (which resolve to text without quotes)
     * @return the quoted word
     */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
