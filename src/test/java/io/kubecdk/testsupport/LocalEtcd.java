package io.kubecdk.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-member etcd (Debian's {@code etcd-server}) on free loopback ports, plain HTTP,
 * with its data in a directory of the test's choosing, driven with the real {@code etcdctl}.
 */
public final class LocalEtcd implements AutoCloseable {

    private final String name;
    private final Path dataDir;
    private int clientPort;
    private int peerPort;
    private Process process;
    private Path log;

    /** An etcd member NAME whose data lives in DATA_DIR; not started yet. */
    public LocalEtcd(String name, Path dataDir) {
        Tools.require("etcd");
        Tools.require("etcdctl");
        this.name = name;
        this.dataDir = dataDir;
        this.clientPort = MotoServer.freePort();
        int peer = MotoServer.freePort();
        while (peer == clientPort) {
            peer = MotoServer.freePort();
        }
        this.peerPort = peer;
    }

    /** Listens on the ports of OTHER (stopped), e.g. to start a member restored from its snapshot. */
    public LocalEtcd reusePortsOf(LocalEtcd other) {
        this.clientPort = other.clientPort;
        this.peerPort = other.peerPort;
        return this;
    }

    /** The client URL, e.g. {@code http://127.0.0.1:41234}. */
    public String clientUrl() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** The peer URL, e.g. {@code http://127.0.0.1:41235}. */
    public String peerUrl() {
        return "http://127.0.0.1:" + peerPort;
    }

    /** Starts etcd on its data dir (new or restored) and waits until it is healthy. */
    public LocalEtcd start() {
        try {
            log = Files.createTempFile("etcd", ".log");
            process = new ProcessBuilder("etcd",
                    "--name", name,
                    "--data-dir", dataDir.toString(),
                    "--listen-client-urls", clientUrl(),
                    "--advertise-client-urls", clientUrl(),
                    "--listen-peer-urls", peerUrl(),
                    "--initial-advertise-peer-urls", peerUrl(),
                    "--initial-cluster", name + "=" + peerUrl(),
                    "--max-txn-ops", "1000")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited: " + Processes.read(log));
            }
            if (etcdctl("endpoint", "health").exitCode() == 0) {
                return this;
            }
            Processes.sleep(200);
        }
        throw new IllegalStateException("etcd did not become healthy: " + Processes.read(log));
    }

    /** Stops etcd and waits for it to exit. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        Processes.deleteQuietly(log);
    }

    /** Runs {@code etcdctl ARGS...} (API v3) against this member. */
    public ProcessResult etcdctl(String... args) {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints", clientUrl(), "--dial-timeout=1s"));
        command.addAll(List.of(args));
        return Processes.run(command, null, Map.of("ETCDCTL_API", "3"), Duration.ofSeconds(30));
    }

    /** Writes every entry with {@code etcdctl txn}, up to 500 puts per transaction. */
    public void putAll(Map<String, String> entries) {
        List<Map.Entry<String, String>> list = new ArrayList<>(entries.entrySet());
        for (int from = 0; from < list.size(); from += 500) {
            StringBuilder txn = new StringBuilder("\n");
            for (Map.Entry<String, String> e : list.subList(from, Math.min(list.size(), from + 500))) {
                txn.append("put ").append(e.getKey()).append(" \"").append(e.getValue()).append("\"\n");
            }
            txn.append("\n\n");
            try {
                Path input = Files.createTempFile("txn", ".txt");
                Files.writeString(input, txn);
                ProcessBuilder builder = new ProcessBuilder("etcdctl", "--endpoints", clientUrl(), "txn")
                        .redirectInput(input.toFile()).redirectErrorStream(true);
                builder.environment().put("ETCDCTL_API", "3");
                Process txnProcess = builder.start();
                String out = new String(txnProcess.getInputStream().readAllBytes());
                if (txnProcess.waitFor() != 0 || !out.startsWith("SUCCESS")) {
                    throw new IllegalStateException("etcdctl txn failed: " + out);
                }
                Files.delete(input);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Reads every key under PREFIX with {@code etcdctl get --prefix}. */
    public Map<String, String> getPrefix(String prefix) {
        ProcessResult result = etcdctl("get", "--prefix", prefix);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("etcdctl get failed: " + result.describe());
        }
        Map<String, String> entries = new LinkedHashMap<>();
        String[] lines = result.stdout().split("\n", -1);
        for (int i = 0; i + 1 < lines.length; i += 2) {
            entries.put(lines[i], lines[i + 1]);
        }
        return entries;
    }

    @Override
    public void close() {
        stop();
    }
}
