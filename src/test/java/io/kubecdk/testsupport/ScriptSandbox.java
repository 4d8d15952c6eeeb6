package io.kubecdk.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A fake node for running the real bootstrap scripts: a temporary {@code KUBECDK_ROOT} holding
 * {@code etc/kubecdk/cluster.env} and a copy of {@code scripts/} in {@code opt/kubecdk/scripts},
 * plus a directory of stand-ins (kubeadm, systemctl, dnf, ...) prepended to PATH that log every
 * call to {@link #calls()}.
 */
public final class ScriptSandbox {

    /** The kubeadm PKI files, under {@code pki/}, that a master's etcd backup carries (scripts/lib/etcd.sh). */
    public static final List<String> PKI_FILES = List.of(
            "ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt", "front-proxy-ca.key",
            "etcd/ca.crt", "etcd/ca.key");

    /** The stand-ins every sandbox gets. */
    public static final List<String> NODE_STANDINS = List.of(
            "kubeadm", "kubectl", "systemctl", "dnf", "modprobe", "sysctl", "mount", "mountpoint",
            "mkfs.xfs", "mkfs.ext4", "blkid", "hostname", "curl", "ebsnvme-id");

    private final Path root;
    private final Path bin;
    private final Path log;
    private final Map<String, String> env = new TreeMap<>();

    private ScriptSandbox(Path root) throws IOException {
        this.root = root;
        this.bin = Files.createDirectories(root.resolve("standin-bin"));
        this.log = root.resolve("standin-calls.log");
        Files.createFile(log);
        copyScripts(projectScripts(), root.resolve("opt/kubecdk/scripts"));
        for (String name : NODE_STANDINS) {
            addStandin(name);
        }
        env.put("KUBECDK_ROOT", root.toString());
        env.put("STANDIN_LOG", log.toString());
        env.put("STANDIN_STATE", root.resolve("standin-state").toString());
        env.put("STANDIN_FIXTURES", root.resolve("standin-fixtures").toString());
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("RETRY_BASE_DELAY", "0.2");
        env.put("RETRY_MAX_DELAY", "1");
        env.put("AWS_RETRY_ATTEMPTS", "3");
        env.put("AWS_MAX_ATTEMPTS", "2");
        env.put("NODE_HOSTNAME", "ip-10-0-1-5");
        env.put("NODE_NAME", "ip-10-0-1-5.eu-west-1.compute.internal");
        env.put("TMPDIR", Files.createDirectories(root.resolve("tmp")).toString());
    }

    /** Creates a sandbox in a new directory under PARENT (a JUnit {@code @TempDir}). */
    public static ScriptSandbox create(Path parent) {
        try {
            return new ScriptSandbox(Files.createTempDirectory(parent, "node"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project's {@code scripts/} folder. */
    public static Path projectScripts() {
        Path dir = Path.of(System.getProperty("basedir", ".")).resolve("scripts");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no scripts folder at " + dir.toAbsolutePath());
        }
        return dir;
    }

    /** Every {@code .sh} file of {@code scripts/}, sorted. */
    public static List<Path> projectScriptFiles() {
        try (Stream<Path> files = Files.walk(projectScripts())) {
            return files.filter(p -> p.toString().endsWith(".sh")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyScripts(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.collect(Collectors.toList())) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Installs the stand-in under NAME on the sandbox PATH. */
    public ScriptSandbox addStandin(String name) {
        try (InputStream in = ScriptSandbox.class.getResourceAsStream("standin.sh")) {
            if (in == null) {
                throw new IllegalStateException("standin.sh is not on the test class path");
            }
            Path target = bin.resolve(name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code etc/kubecdk/cluster.env} as sorted, single-quoted KEY='value' lines. */
    public ScriptSandbox clusterEnv(Map<String, String> values) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(values).forEach((key, value) ->
                text.append(key).append("='").append(value.replace("'", "'\\''")).append("'\n"));
        return writeFile("etc/kubecdk/cluster.env", text.toString());
    }

    /** Writes TEXT to PATH relative to the sandbox root. */
    public ScriptSandbox writeFile(String path, String text) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds (or overrides) environment variables of every script run. */
    public ScriptSandbox env(Map<String, String> values) {
        env.putAll(values);
        return this;
    }

    /** Sets one environment variable of every script run. */
    public ScriptSandbox env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** The sandbox root ({@code KUBECDK_ROOT}). */
    public Path root() {
        return root;
    }

    /** PATH relative to the sandbox root. */
    public Path path(String path) {
        return root.resolve(path);
    }

    /** Starts {@code bash opt/kubecdk/scripts/SCRIPT ARGS...} (as the user-data does). */
    public Processes.Running start(String script, String... args) {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(root.resolve("opt/kubecdk/scripts").resolve(script).toString());
        command.addAll(List.of(args));
        return Processes.start(command, root, env);
    }

    /** Starts {@code bash FILE} (e.g. a node's user-data) in the sandbox root with the sandbox environment. */
    public Processes.Running startBash(Path file) {
        return Processes.start(List.of("bash", file.toString()), root, env);
    }

    /** Runs a script to completion (timeout two minutes). */
    public ProcessResult run(String script, String... args) {
        return start(script, args).await(Duration.ofMinutes(2));
    }

    /** Runs a bash snippet with the sandbox environment (for testing the shared library). */
    public ProcessResult bash(String snippet) {
        return Processes.run(List.of("bash", "-c", snippet), root, env, Duration.ofMinutes(1));
    }

    /** Every stand-in call so far, one "name args" line each, in order. */
    public List<String> calls() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stand-in calls that start with PREFIX (e.g. "kubeadm init"). */
    public List<String> calls(String prefix) {
        return calls().stream().filter(c -> c.startsWith(prefix)).collect(Collectors.toList());
    }

    /** Reads a file relative to the sandbox root. */
    public String read(String path) {
        try {
            return Files.readString(root.resolve(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a stand-in, so that the real command on PATH (if any) is used. */
    public ScriptSandbox removeStandin(String name) {
        try {
            Files.deleteIfExists(bin.resolve(name));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Recursively deletes DIR if it exists. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
