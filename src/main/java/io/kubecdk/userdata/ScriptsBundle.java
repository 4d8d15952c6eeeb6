package io.kubecdk.userdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The node scripts as one content-addressed bundle: every file of {@code scripts/} (read from the
 * class path) plus a {@code SHA256SUMS} manifest. The manifest's own SHA-256 is the bundle's hash; it
 * names the bundle's S3 prefix and is written into the user-data, so a changed script rolls the nodes.
 */
public final class ScriptsBundle {
    /** Class-path folder of the scripts. */
    public static final String SCRIPTS_ROOT = "/io/kubecdk/scripts";
    /** Name of the manifest file inside the bundle. */
    public static final String MANIFEST = "SHA256SUMS";
    /** A file every scripts folder holds, by which the folder is found on the class path. */
    private static final String ANCHOR = "bootstrap-master.sh";

    private static volatile ScriptsBundle fromClassPath;

    private final SortedMap<String, byte[]> files;
    private final String manifest;
    private final String hash;

    private ScriptsBundle(SortedMap<String, byte[]> files) {
        this.files = files;
        StringBuilder lines = new StringBuilder();
        files.forEach((name, content) -> lines.append(sha256(content)).append("  ").append(name).append('\n'));
        this.manifest = lines.toString();
        this.hash = sha256(manifest.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return the bundle of the scripts packaged with this library (read once per JVM)
     */
    public static ScriptsBundle fromClassPath() {
        ScriptsBundle bundle = fromClassPath;
        if (bundle == null) {
            synchronized (ScriptsBundle.class) {
                if (fromClassPath == null) {
                    fromClassPath = new ScriptsBundle(readClassPathFolder());
                }
                bundle = fromClassPath;
            }
        }
        return bundle;
    }

    /**
     * @param files relative path to content
     * @return a bundle of exactly those files
     */
    public static ScriptsBundle of(Map<String, byte[]> files) {
        return new ScriptsBundle(new TreeMap<>(files));
    }

    /** @return the SHA-256 (hex) of the manifest, which identifies the whole bundle */
    public String hash() {
        return hash;
    }

    /** @return the S3 key prefix of this bundle, {@code scripts/<hash>/} */
    public String keyPrefix() {
        return io.kubecdk.spec.BucketSpec.SCRIPTS_PREFIX + hash + "/";
    }

    /** @return the relative paths of the bundled files, sorted */
    public java.util.Set<String> fileNames() {
        return java.util.Collections.unmodifiableSet(files.keySet());
    }

    /**
     * Writes the bundle (files and manifest) into a folder named after its hash, once.
     *
     * @param parent where to create the folder
     * @return the folder holding the bundle
     */
    public Path stageIn(Path parent) {
        Path dir = parent.resolve("kubecdk-scripts-" + hash);
        if (Files.isRegularFile(dir.resolve(MANIFEST))) {
            return dir;
        }
        try {
            Path staging = Files.createTempDirectory(parent, ".kubecdk-scripts-");
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = staging.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            Files.writeString(staging.resolve(MANIFEST), manifest, StandardCharsets.UTF_8);
            try {
                Files.move(staging, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                deleteTree(staging);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the scripts bundle in " + parent, e);
        }
    }

    private static SortedMap<String, byte[]> readClassPathFolder() {
        // Found through a file it must hold: another class-path entry may have a folder of the same name
        // (a package io.kubecdk.scripts, as the tests have), and the first folder found could be that one.
        URL url = ScriptsBundle.class.getResource(SCRIPTS_ROOT + "/" + ANCHOR);
        if (url == null) {
            throw new IllegalStateException("scripts folder " + SCRIPTS_ROOT + " with " + ANCHOR
                    + " is not on the class path");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = openJar(uri)) {
                    return readFolder(jar.getPath(SCRIPTS_ROOT));
                }
            }
            return readFolder(Path.of(uri).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scripts from " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad scripts location " + url, e);
        }
    }

    private static FileSystem openJar(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            throw new IllegalStateException("the jar of " + uri + " is already open elsewhere", e);
        }
    }

    private static SortedMap<String, byte[]> readFolder(Path root) throws IOException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                String name = root.relativize(path).toString().replace('\\', '/');
                files.put(name, Files.readAllBytes(path));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("the scripts folder " + root + " is empty");
        }
        return files;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
