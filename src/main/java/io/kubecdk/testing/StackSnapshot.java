package io.kubecdk.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Golden-file ("snapshot") test of a synthesized stack, for JUnit or any other test framework: it
 * throws {@link AssertionError} on a mismatch and depends on nothing but aws-cdk-lib and Jackson.
 *
 * <pre>{@code
 * StackSnapshot.of(stack)
 *         .mask(myBundleHash, "scripts-bundle")       // optional: values that change without meaning
 *         .assertMatches(Path.of("src/test/resources/snapshots/platform"));
 * }</pre>
 *
 * <p>The snapshot folder holds one file per artefact:
 * <ul>
 *   <li>{@code template.json}: the whole template, keys sorted, pretty-printed (two spaces, one array
 *       element per line, LF line ends, final newline);</li>
 *   <li>{@code <LogicalId>.user-data.sh}: the user-data of each launch template (and of each
 *       {@code AWS::EC2::Instance}), decoded to plain text. CloudFormation tokens inside its
 *       {@code Fn::Join} are written as readable placeholders: {@code ${Ref:MyBucket1234}},
 *       {@code ${GetAtt:MyRole1234.Arn}}, other intrinsics as {@code ${Fn::Name:<compact JSON>}}. In
 *       {@code template.json} the user-data is replaced by {@code "<user-data: LogicalId.user-data.sh>"},
 *       so a script change shows once, as a script diff.</li>
 * </ul>
 *
 * <p>Defaults, each of which removes something that changes without meaning:
 * <ul>
 *   <li>CDK version metadata is removed: {@code AWS::CDK::Metadata} resources, the
 *       {@code CDKMetadataAvailable} condition, the {@code BootstrapVersion} parameter and the
 *       {@code CheckBootstrapVersion} rule (and sections left empty);</li>
 *   <li>every file asset's hash (S3 keys, asset paths) becomes {@code <asset:DISPLAY-NAME>} when the
 *       asset manifest gives the asset a display name, else {@code <asset-hash-N>};</li>
 *   <li>the values given to {@link #mask(String, String)} become {@code <NAME>};</li>
 *   <li>in the template, a string that starts with the JVM's temporary folder or working directory (an
 *       asset path when asset staging is off) starts with {@code <tmp>} or {@code <cwd>} instead;</li>
 *   <li>any other 64-digit hexadecimal string (a SHA-256) becomes {@code <hash-N>}, numbered in order of
 *       first appearance (template first, then user-data files by name); turn off with
 *       {@link #maskOtherHashes(boolean)}.</li>
 * </ul>
 *
 * <p>{@link #assertMatches(Path)} compares every file; a file in the folder that the stack does not
 * produce is an error too (a stale snapshot). With the system property {@value #UPDATE_PROPERTY}
 * {@code =true} (or {@link #update(boolean)}) it writes the files instead and deletes stale ones.
 * A mismatch names the file, for the template the resource (logical id and type) and the JSON path of
 * the first difference, and shows a unified-diff excerpt.
 */
public final class StackSnapshot {
    /** System property that turns comparing into rewriting: {@code -DupdateSnapshots=true}. */
    public static final String UPDATE_PROPERTY = "updateSnapshots";
    /** Name of the template file in a snapshot folder. */
    public static final String TEMPLATE_FILE = "template.json";
    /** Suffix of the user-data files in a snapshot folder. */
    public static final String USER_DATA_SUFFIX = ".user-data.sh";

    private static final Pattern SHA256 = Pattern.compile("(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])");
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_]+");
    private static final int CONTEXT_LINES = 3;
    private static final int MAX_EXCERPT_LINES = 60;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final Stack stack;
    private final Map<String, String> masks = new LinkedHashMap<>();
    private boolean maskOtherHashes = true;
    private Boolean update;

    private StackSnapshot(Stack stack) {
        this.stack = Objects.requireNonNull(stack, "stack is required");
    }

    /**
     * @param stack the stack; its app is synthesized (once) when the files are first needed, so add
     *              aspects before
     * @return a snapshot with the defaults above
     */
    public static StackSnapshot of(Stack stack) {
        return new StackSnapshot(stack);
    }

    /**
     * Replaces every occurrence of a value by {@code <name>}, in every file.
     *
     * @param value the exact text, e.g. a content hash that changes whenever some source changes
     * @param name the placeholder's name
     * @return this snapshot
     * @default no masks
     */
    public StackSnapshot mask(String value, String name) {
        Objects.requireNonNull(value, "value is required");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("cannot mask an empty value");
        }
        masks.put(value, "<" + Objects.requireNonNull(name, "name is required") + ">");
        return this;
    }

    /**
     * @param mask whether 64-digit hexadecimal strings left after the other rules become {@code <hash-N>}
     * @return this snapshot
     * @default true
     */
    public StackSnapshot maskOtherHashes(boolean mask) {
        this.maskOtherHashes = mask;
        return this;
    }

    /**
     * @param update true to write the snapshot files instead of comparing them
     * @return this snapshot
     * @default the system property {@value #UPDATE_PROPERTY}
     */
    public StackSnapshot update(boolean update) {
        this.update = update;
        return this;
    }

    /**
     * @return the snapshot files by name ({@value #TEMPLATE_FILE} and one {@code .user-data.sh} per
     *         launch template), normalized as described above
     */
    public SortedMap<String, String> files() {
        CloudAssembly assembly = Stage.of(stack).synth();
        CloudFormationStackArtifact artifact = assembly.getStackArtifact(stack.getArtifactId());
        ObjectNode template = (ObjectNode) read(Path.of(artifact.getTemplateFullPath()));
        removeCdkMetadata(template);
        SortedMap<String, String> userData = extractUserData(template);

        List<String> ordered = new ArrayList<>();
        ordered.add(TEMPLATE_FILE);
        ordered.addAll(userData.keySet());
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put(TEMPLATE_FILE, pretty(template));
        texts.putAll(userData);

        Map<String, String> replacements = new LinkedHashMap<>(masks);
        replacements.putAll(assetPlaceholders(assembly, artifact, texts));
        String tmp = stripSeparator(System.getProperty("java.io.tmpdir"));
        String cwd = stripSeparator(System.getProperty("user.dir"));
        SortedMap<String, String> files = new TreeMap<>();
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String name : ordered) {
            String text = texts.get(name);
            for (Map.Entry<String, String> r : replacements.entrySet()) {
                text = text.replace(r.getKey(), r.getValue());
            }
            if (name.equals(TEMPLATE_FILE)) {
                // only JSON strings that start with the folder: asset paths, never text inside a script
                text = replaceLeadingPath(text, tmp, "<tmp>");
                text = replaceLeadingPath(text, cwd, "<cwd>");
            }
            if (maskOtherHashes) {
                Matcher m = SHA256.matcher(text);
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    String placeholder = hashes.computeIfAbsent(m.group(), h -> "<hash-" + (hashes.size() + 1) + ">");
                    m.appendReplacement(out, Matcher.quoteReplacement(placeholder));
                }
                m.appendTail(out);
                text = out.toString();
            }
            files.put(name, text.endsWith("\n") ? text : text + "\n");
        }
        return files;
    }

    /**
     * Compares the stack's snapshot files with those in {@code dir}, or writes them when updating.
     *
     * @param dir the snapshot folder of this stack, e.g. {@code src/test/resources/snapshots/prod}
     * @throws AssertionError listing every missing, stale and different file, with the first difference
     */
    public void assertMatches(Path dir) {
        SortedMap<String, String> actual = files();
        boolean rewrite = update != null ? update : Boolean.parseBoolean(System.getProperty(UPDATE_PROPERTY));
        TreeSet<String> existing = listFiles(dir);
        if (rewrite) {
            write(dir, actual, existing);
            return;
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> file : actual.entrySet()) {
            Path path = dir.resolve(file.getKey());
            if (!existing.contains(file.getKey())) {
                problems.add("missing file " + file.getKey() + " (the stack produces it, the folder lacks it)");
                continue;
            }
            String expected = readString(path);
            if (!expected.equals(file.getValue())) {
                problems.add(describe(file.getKey(), expected, file.getValue()));
            }
        }
        for (String name : existing) {
            if (!actual.containsKey(name)) {
                problems.add("stale file " + name + " (no longer produced by the stack; delete it)");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("snapshot " + dir + " does not match stack " + stack.getStackName() + " ("
                    + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + "); if the change is intended, run with -D" + UPDATE_PROPERTY + "=true\n\n"
                    + String.join("\n\n", problems));
        }
    }

    // ---- normalization ----

    private static void removeCdkMetadata(ObjectNode template) {
        ObjectNode resources = object(template, "Resources");
        if (resources != null) {
            List<String> metadata = new ArrayList<>();
            resources.fields().forEachRemaining(e -> {
                if ("AWS::CDK::Metadata".equals(e.getValue().path("Type").asText())) {
                    metadata.add(e.getKey());
                }
            });
            resources.remove(metadata);
        }
        removeKey(template, "Conditions", "CDKMetadataAvailable");
        removeKey(template, "Parameters", "BootstrapVersion");
        removeKey(template, "Rules", "CheckBootstrapVersion");
    }

    private static void removeKey(ObjectNode template, String section, String key) {
        ObjectNode node = object(template, section);
        if (node != null) {
            node.remove(key);
            if (node.isEmpty()) {
                template.remove(section);
            }
        }
    }

    private static SortedMap<String, String> extractUserData(ObjectNode template) {
        SortedMap<String, String> files = new TreeMap<>();
        ObjectNode resources = object(template, "Resources");
        if (resources == null) {
            return files;
        }
        resources.fields().forEachRemaining(e -> {
            String type = e.getValue().path("Type").asText();
            JsonNode props = e.getValue().path("Properties");
            ObjectNode holder = null;
            if (type.equals("AWS::EC2::LaunchTemplate") && props.path("LaunchTemplateData").isObject()) {
                holder = (ObjectNode) props.get("LaunchTemplateData");
            } else if (type.equals("AWS::EC2::Instance") && props.isObject()) {
                holder = (ObjectNode) props;
            }
            if (holder != null && holder.has("UserData")) {
                String file = e.getKey() + USER_DATA_SUFFIX;
                files.put(file, decodeUserData(holder.get("UserData")));
                holder.set("UserData", TextNode.valueOf("<user-data: " + file + ">"));
            }
        });
        return files;
    }

    private static String decodeUserData(JsonNode userData) {
        if (userData.isTextual()) {
            return new String(Base64.getDecoder().decode(userData.asText()), StandardCharsets.UTF_8);
        }
        if (userData.isObject() && userData.size() == 1 && userData.has("Fn::Base64")) {
            return render(userData.get("Fn::Base64"));
        }
        return render(userData);
    }

    /** Text of a value with its CloudFormation tokens written as {@code ${...}} placeholders. */
    private static String render(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isObject() && value.size() == 1) {
            String fn = value.fieldNames().next();
            JsonNode arg = value.get(fn);
            if (fn.equals("Fn::Join") && arg.isArray() && arg.size() == 2 && arg.get(1).isArray()) {
                StringBuilder out = new StringBuilder();
                String separator = arg.get(0).asText();
                for (int i = 0; i < arg.get(1).size(); i++) {
                    out.append(i == 0 ? "" : separator).append(render(arg.get(1).get(i)));
                }
                return out.toString();
            }
            if (fn.equals("Ref") && arg.isTextual()) {
                return "${Ref:" + arg.asText() + "}";
            }
            if (fn.equals("Fn::GetAtt") && arg.isArray() && arg.size() == 2) {
                return "${GetAtt:" + arg.get(0).asText() + "." + arg.get(1).asText() + "}";
            }
            return "${" + fn + ":" + compact(arg) + "}";
        }
        return "${" + compact(value) + "}";
    }

    private Map<String, String> assetPlaceholders(CloudAssembly assembly, CloudFormationStackArtifact artifact,
                                                  Map<String, String> texts) {
        Map<String, String> names = new LinkedHashMap<>();
        Path manifest = Path.of(assembly.getDirectory(), artifact.getId() + ".assets.json");
        if (!Files.isRegularFile(manifest)) {
            return names;
        }
        JsonNode assets = read(manifest);
        List<String> unnamed = new ArrayList<>();
        for (String kind : List.of("files", "dockerImages")) {
            assets.path(kind).fields().forEachRemaining(e -> {
                String hash = e.getKey();
                String display = e.getValue().path("displayName").asText("");
                if (!display.isEmpty()) {
                    names.put(hash, "<asset:" + display + ">");
                } else {
                    unnamed.add(hash);
                }
            });
        }
        String all = String.join("\n", texts.values());
        unnamed.sort((a, b) -> Integer.compare(position(all, a), position(all, b)));
        for (String hash : unnamed) {
            names.put(hash, "<asset-hash-" + (names.size() + 1) + ">");
        }
        return names;
    }

    private static int position(String text, String value) {
        int i = text.indexOf(value);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    // ---- comparison ----

    private static String describe(String file, String expected, String actual) {
        StringBuilder out = new StringBuilder(file + " differs");
        if (file.endsWith(".json")) {
            try {
                JsonNode e = JSON.readTree(expected);
                JsonNode a = JSON.readTree(actual);
                List<String> path = new ArrayList<>();
                String difference = firstDifference(e, a, path);
                if (difference != null) {
                    if (path.size() >= 2 && path.get(0).equals("Resources")) {
                        String id = path.get(1);
                        String type = a.path("Resources").path(id).path("Type").asText(
                                e.path("Resources").path(id).path("Type").asText("?"));
                        out.append(": resource ").append(id).append(" (").append(type).append(")");
                    }
                    out.append(" at ").append(jsonPath(path)).append(": ").append(difference);
                }
            } catch (JsonProcessingException ignored) {
                out.append(" (the expected file is not valid JSON)");
            }
        }
        out.append('\n').append(unifiedExcerpt(file, expected, actual));
        return out.toString();
    }

    /** @return a description of the first difference, with {@code path} filled in, or null if equal */
    private static String firstDifference(JsonNode expected, JsonNode actual, List<String> path) {
        if (expected == null || actual == null) {
            return expected == null ? "unexpected " + compact(actual) : "missing, expected " + compact(expected);
        }
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                path.add(key);
                String d = firstDifference(expected.get(key), actual.get(key), path);
                if (d != null) {
                    return d;
                }
                path.remove(path.size() - 1);
            }
            return null;
        }
        if (expected.isArray() && actual.isArray()) {
            for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
                path.add("[" + i + "]");
                String d = firstDifference(expected.get(i), actual.get(i), path);
                if (d != null) {
                    return d;
                }
                path.remove(path.size() - 1);
            }
            return null;
        }
        return expected.equals(actual) ? null
                : "expected " + abbreviate(compact(expected)) + " but was " + abbreviate(compact(actual));
    }

    private static String jsonPath(List<String> path) {
        StringBuilder out = new StringBuilder("$");
        for (String p : path) {
            if (p.startsWith("[")) {
                out.append(p);
            } else if (PLAIN_KEY.matcher(p).matches()) {
                out.append('.').append(p);
            } else {
                out.append("['").append(p.replace("'", "\\'")).append("']");
            }
        }
        return out.toString();
    }

    /**
     * A unified diff: hunks of changed lines with {@value #CONTEXT_LINES} lines of context, at most
     * {@value #MAX_EXCERPT_LINES} lines in all.
     */
    static String unifiedExcerpt(String file, String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        int prefix = 0;
        while (prefix < a.length && prefix < b.length && a[prefix].equals(b[prefix])) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.length - prefix && suffix < b.length - prefix
                && a[a.length - 1 - suffix].equals(b[b.length - 1 - suffix])) {
            suffix++;
        }
        List<String> ops = new ArrayList<>();
        for (int i = 0; i < prefix; i++) {
            ops.add(" " + a[i]);
        }
        ops.addAll(middleDiff(a, prefix, a.length - suffix, b, prefix, b.length - suffix));
        for (int i = a.length - suffix; i < a.length; i++) {
            ops.add(" " + a[i]);
        }
        List<String> lines = new ArrayList<>();
        lines.add("--- expected " + file);
        lines.add("+++ actual " + file);
        int k = 0;
        int oldLine = 1;
        int newLine = 1;
        while (k < ops.size()) {
            int change = k;
            while (change < ops.size() && ops.get(change).charAt(0) == ' ') {
                change++;
            }
            if (change == ops.size()) {
                break;
            }
            int from = Math.max(k, change - CONTEXT_LINES);
            for (int i = k; i < from; i++) {
                oldLine++;
                newLine++;
            }
            // extend the hunk while the next change is within two contexts of the last one
            int to = change;
            int quiet = 0;
            int i = change;
            while (i < ops.size() && quiet <= 2 * CONTEXT_LINES) {
                if (ops.get(i).charAt(0) == ' ') {
                    quiet++;
                } else {
                    quiet = 0;
                    to = i;
                }
                i++;
            }
            int end = Math.min(ops.size(), to + 1 + CONTEXT_LINES);
            int oldCount = 0;
            int newCount = 0;
            for (int j = from; j < end; j++) {
                char op = ops.get(j).charAt(0);
                oldCount += op == '+' ? 0 : 1;
                newCount += op == '-' ? 0 : 1;
            }
            lines.add("@@ -" + oldLine + "," + oldCount + " +" + newLine + "," + newCount + " @@");
            lines.addAll(ops.subList(from, end));
            oldLine += oldCount;
            newLine += newCount;
            k = end;
        }
        if (lines.size() > MAX_EXCERPT_LINES) {
            int more = lines.size() - MAX_EXCERPT_LINES;
            lines = new ArrayList<>(lines.subList(0, MAX_EXCERPT_LINES));
            lines.add("... " + more + " more lines");
        }
        return String.join("\n", lines);
    }

    /** Line diff of a[aFrom, aTo) and b[bFrom, bTo) by longest common subsequence (small middles only). */
    private static List<String> middleDiff(String[] a, int aFrom, int aTo, String[] b, int bFrom, int bTo) {
        int n = aTo - aFrom;
        int m = bTo - bFrom;
        List<String> ops = new ArrayList<>();
        if ((long) n * m > 4_000_000L) {
            for (int i = aFrom; i < aTo; i++) {
                ops.add("-" + a[i]);
            }
            for (int j = bFrom; j < bTo; j++) {
                ops.add("+" + b[j]);
            }
            return ops;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a[aFrom + i].equals(b[bFrom + j]) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[aFrom + i].equals(b[bFrom + j])) {
                ops.add(" " + a[aFrom + i]);
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add("-" + a[aFrom + i]);
                i++;
            } else {
                ops.add("+" + b[bFrom + j]);
                j++;
            }
        }
        return ops;
    }

    // ---- files and JSON ----

    private static void write(Path dir, SortedMap<String, String> files, TreeSet<String> existing) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
            for (String name : existing) {
                if (!files.containsKey(name)) {
                    Files.delete(dir.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the snapshot in " + dir, e);
        }
    }

    private static TreeSet<String> listFiles(Path dir) {
        TreeSet<String> names = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return names;
    }

    private static String readString(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static JsonNode read(Path path) {
        try {
            return JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static String pretty(JsonNode node) {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        try {
            return JSON.writer(printer).writeValueAsString(sorted(node)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy with every object's keys in sorted order. */
    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            TreeSet<String> keys = new TreeSet<>();
            node.fieldNames().forEachRemaining(keys::add);
            keys.forEach(k -> out.set(k, sorted(node.get(k))));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                out.add(sorted(it.next()));
            }
            return out;
        }
        return node;
    }

    private static String compact(JsonNode node) {
        try {
            return JSON.writeValueAsString(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    private static ObjectNode object(ObjectNode parent, String key) {
        JsonNode node = parent.get(key);
        return node instanceof ObjectNode o ? o : null;
    }

    private static String replaceLeadingPath(String json, String path, String placeholder) {
        if (path.length() < 2) {
            return json;
        }
        String escaped = path.replace("\\", "\\\\");
        return json.replace("\"" + escaped + "/", "\"" + placeholder + "/")
                .replace("\"" + escaped + "\\\\", "\"" + placeholder + "/");
    }

    private static String stripSeparator(String path) {
        if (path == null) {
            return "";
        }
        return path.endsWith("/") || path.endsWith("\\") ? path.substring(0, path.length() - 1) : path;
    }
}
