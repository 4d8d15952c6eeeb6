package io.kubecdk.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the external tools the script tests need, failing with install instructions. */
public final class Tools {

    /** How to install everything the script tests need on a Debian machine. */
    public static final String INSTALL_HINT =
            "install with: apt-get install etcd-server etcd-client shellcheck"
                    + " && pip install 'moto[server]' awscli";

    private Tools() {
    }

    /** Returns the executable NAME from PATH, or empty. */
    public static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the executable NAME from PATH.
     *
     * @throws AssertionError naming the tool and how to install it when it is missing
     */
    public static Path require(String name) {
        return find(name).orElseThrow(() -> new AssertionError(
                "'" + name + "' is not on PATH; the script tests need it; " + INSTALL_HINT));
    }

    /**
     * Returns the executable NAME from PATH.
     *
     * @param hint how to install it, e.g. {@code pip install cfn-lint}
     * @throws AssertionError naming the tool and the hint when it is missing
     */
    public static Path require(String name, String hint) {
        return find(name).orElseThrow(() -> new AssertionError(
                "'" + name + "' is not on PATH; install it with: " + hint));
    }
}
