package io.kubecdk.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A local AWS emulator ({@code moto_server}) on a free loopback port, for tests that run the
 * real AWS CLI against it. Start it once per test class; {@link #close()} stops it.
 */
public final class MotoServer implements AutoCloseable {

    /** The region every emulated resource lives in. */
    public static final String REGION = "eu-west-1";

    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts moto_server and waits (up to 30 s) until it answers. */
    public static MotoServer start() {
        Path executable = Tools.require("moto_server");
        Tools.require("aws");
        int port = freePort();
        try {
            Path log = Files.createTempFile("moto", ".log");
            Process process = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer(process, port, log);
            server.awaitReady(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start moto_server", e);
        }
    }

    /** A TCP port nobody listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + Processes.read(log));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/moto-api/data.json")
                        .toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Processes.sleep(200);
        }
        close();
        throw new IllegalStateException("moto_server did not answer within " + timeout + ": " + Processes.read(log));
    }

    /** The endpoint URL to put in AWS_ENDPOINT_URL. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The environment that points the AWS CLI at this emulator with dummy credentials. */
    public Map<String, String> awsEnv() {
        Map<String, String> env = new TreeMap<>(awsEnv(endpoint()));
        return env;
    }

    /** The AWS CLI environment for ENDPOINT (also usable with a closed port). */
    public static Map<String, String> awsEnv(String endpoint) {
        Map<String, String> env = new TreeMap<>();
        env.put("AWS_ENDPOINT_URL", endpoint);
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_DEFAULT_REGION", REGION);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_PAGER", "");
        return env;
    }

    /** Runs {@code aws ARGS...} against the emulator and returns its trimmed stdout. */
    public String aws(String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add("aws");
        command.addAll(List.of(args));
        ProcessResult result = Processes.run(command, null, awsEnv(), Duration.ofSeconds(60));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("aws " + String.join(" ", args) + " failed: " + result.describe());
        }
        return result.stdout().trim();
    }

    /** Runs a Python snippet with boto3 against the emulator (one process for many calls). */
    public String python(String script) {
        ProcessResult result = Processes.run(List.of("python3", "-c", script), null, awsEnv(), Duration.ofSeconds(60));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("python setup failed: " + result.describe());
        }
        return result.stdout().trim();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Processes.deleteQuietly(log);
    }
}
