package io.kubecdk.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed command line: the command, then {@code --name value} (or {@code --name=value}) options
 * and value-less flags, as the AWS CLI takes them.
 */
final class CliArgs {
    private static final Set<String> FLAGS = Set.of("paginate", "help");

    private final String command;
    private final Map<String, String> options;

    private CliArgs(String command, Map<String, String> options) {
        this.command = command;
        this.options = options;
    }

    /**
     * Parses the arguments.
     *
     * @throws InvalidCallException for a stray word or an option without its value
     */
    static CliArgs parse(String[] args) {
        String command = null;
        var options = new LinkedHashMap<String, String>();
        for (int i = 0; i < args.length; i++) {
            var arg = args[i];
            if (arg.equals("-h")) {
                arg = "--help";
            }
            if (!arg.startsWith("--")) {
                if (command != null) {
                    throw new InvalidCallException("unexpected argument: " + arg);
                }
                command = arg;
                continue;
            }
            var name = arg.substring(2);
            var equals = name.indexOf('=');
            if (equals >= 0) {
                options.put(name.substring(0, equals), name.substring(equals + 1));
            } else if (FLAGS.contains(name)) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new InvalidCallException("--" + name + " needs a value");
            }
        }
        return new CliArgs(command, options);
    }

    /** The command word, if any. */
    Optional<String> command() {
        return Optional.ofNullable(command);
    }

    /** The value of an option, if given. */
    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** The value of an option the command cannot do without. */
    String required(String name) {
        return option(name).orElseThrow(() -> new InvalidCallException("--" + name + " is required for " + command));
    }

    /** Whether a flag such as {@code --paginate} was given. */
    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** Rejects options the command does not know, naming the ones it does. */
    void allowOnly(Set<String> known) {
        for (var name : options.keySet()) {
            if (!known.contains(name)) {
                throw new InvalidCallException("unknown option --" + name + " for " + command + ", must be one of: --"
                        + String.join(", --", new TreeSet<>(known)));
            }
        }
    }
}
