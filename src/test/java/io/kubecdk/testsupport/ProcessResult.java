package io.kubecdk.testsupport;

import java.time.Duration;

/**
 * The outcome of a finished process.
 *
 * @param exitCode the exit code
 * @param stdout   everything written to standard output
 * @param stderr   everything written to standard error
 * @param elapsed  wall time from start to exit
 */
public record ProcessResult(int exitCode, String stdout, String stderr, Duration elapsed) {

    /** A description for assertion messages. */
    public String describe() {
        return "exit " + exitCode + " after " + elapsed.toMillis() + " ms\n--- stdout ---\n" + stdout
                + "\n--- stderr ---\n" + stderr;
    }
}
