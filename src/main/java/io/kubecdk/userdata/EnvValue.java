package io.kubecdk.userdata;

/**
 * A value of a node's environment file: known at synth (a literal, possibly a CDK token) or found at
 * boot (a bash variable the user-data sets from instance metadata or the AWS API).
 */
public sealed interface EnvValue {

    /**
     * @param text the value
     * @return a value fixed at synth
     */
    static EnvValue literal(String text) {
        return new Literal(text);
    }

    /**
     * @param variable the bash variable holding the value at boot
     * @return a value found at boot, always written
     */
    static EnvValue atBoot(String variable) {
        return new AtBoot(variable, false);
    }

    /**
     * @param variable the bash variable holding the value at boot
     * @return a value found at boot, written only when not empty
     */
    static EnvValue atBootIfPresent(String variable) {
        return new AtBoot(variable, true);
    }

    /**
     * A value fixed at synth.
     *
     * @param text the value, quoted when rendered
     */
    record Literal(String text) implements EnvValue {
        /** @return the value as a single-quoted shell word */
        public String quoted() {
            return ShellQuote.quote(text);
        }
    }

    /**
     * A value the user-data computes at boot.
     *
     * @param variable the bash variable name
     * @param optional whether the key is left out when the value is empty
     */
    record AtBoot(String variable, boolean optional) implements EnvValue { }
}
