package io.kubecdk.userdata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one launch template's user-data needs: the node's role, the scripts bundle to fetch, and the
 * entries of its environment file. Values may be CDK tokens; they resolve inside the rendered text.
 *
 * @param template the template file, e.g. {@code master.sh.ftl}
 * @param role the node role, {@code master}, {@code worker} or {@code loadbalancer}
 * @param group the minion group's name, or the role for the master
 * @param environment the environment's name
 * @param scriptsBucket the bucket holding the scripts bundle
 * @param bundleHash the SHA-256 of the bundle's manifest, which names its S3 prefix
 * @param env the environment file's entries, sorted by key
 */
public record BootstrapModel(String template, String role, String group, String environment, String scriptsBucket,
                             String bundleHash, SortedMap<String, EnvValue> env) {

    /** Requires every field and copies the entries. */
    public BootstrapModel {
        Objects.requireNonNull(template, "template is required");
        Objects.requireNonNull(role, "role is required");
        Objects.requireNonNull(group, "group is required");
        Objects.requireNonNull(environment, "environment is required");
        Objects.requireNonNull(scriptsBucket, "scriptsBucket is required");
        Objects.requireNonNull(bundleHash, "bundleHash is required");
        env = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(env));
    }

    /** @return the model as Freemarker sees it: plain maps, lists and strings */
    Map<String, Object> toTemplateModel() {
        List<Map<String, String>> entries = new ArrayList<>();
        env.forEach((key, value) -> {
            if (value instanceof EnvValue.Literal literal) {
                entries.add(Map.of("key", key, "kind", "literal", "value", literal.quoted()));
            } else if (value instanceof EnvValue.AtBoot boot) {
                entries.add(Map.of("key", key, "kind", boot.optional() ? "optional" : "boot", "value", boot.variable()));
            }
        });
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("role", role);
        model.put("group", group);
        model.put("environment", environment);
        model.put("scriptsBucket", scriptsBucket);
        model.put("bundleHash", bundleHash);
        model.put("env", entries);
        return model;
    }
}
