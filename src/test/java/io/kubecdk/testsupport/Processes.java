package io.kubecdk.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs external processes with a deadline, capturing their output in files (no pipe stalls). */
public final class Processes {

    private Processes() {
    }

    /** A started process whose output goes to two temporary files. */
    public static final class Running {
        private final Process process;
        private final Path stdout;
        private final Path stderr;
        private final long startNanos;
        private final List<String> command;

        Running(Process process, Path stdout, Path stderr, long startNanos, List<String> command) {
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
            this.startNanos = startNanos;
            this.command = command;
        }

        /** Waits for the process, killing it (and failing) after TIMEOUT. */
        public ProcessResult await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor();
                    throw new AssertionError("timed out after " + timeout + ": " + command
                            + "\n" + read(stderr));
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
                return new ProcessResult(process.exitValue(), read(stdout), read(stderr), elapsed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                deleteQuietly(stdout);
                deleteQuietly(stderr);
            }
        }
    }

    /** Starts COMMAND in DIR with ENV added to (and overriding) this JVM's environment. */
    public static Running start(List<String> command, Path dir, Map<String, String> env) {
        try {
            Path out = Files.createTempFile("proc", ".out");
            Path err = Files.createTempFile("proc", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            builder.environment().putAll(env);
            long start = System.nanoTime();
            return new Running(builder.start(), out, err, start, command);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Runs COMMAND to completion. */
    public static ProcessResult run(List<String> command, Path dir, Map<String, String> env, Duration timeout) {
        return start(command, dir, env).await(timeout);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable " + file + ": " + e + ">";
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }

    /** Sleeps, turning an interrupt into a test failure (and keeping the interrupt flag). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
