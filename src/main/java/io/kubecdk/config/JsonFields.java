package io.kubecdk.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubecdk.spec.SpecProblem;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads typed fields of one JSON object, recording a {@link SpecProblem} for a missing object, a value
 * of the wrong type, or a key that is not known (with the nearest known key as a suggestion).
 */
final class JsonFields {
    private final JsonNode node;
    private final String path;
    private final List<SpecProblem> problems;

    JsonFields(JsonNode node, String path, Set<String> knownKeys, List<SpecProblem> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        if (!node.isObject()) {
            problems.add(new SpecProblem(path, "must be an object, found " + describe(node)));
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!knownKeys.contains(key)) {
                problems.add(new SpecProblem(path + "." + key, "unknown key '" + key + "' in " + path
                        + Suggestion.nearest(key, knownKeys).map(s -> "; did you mean '" + s + "'?").orElse("")
                        + " (known keys: " + String.join(", ", new java.util.TreeSet<>(knownKeys)) + ")"));
            }
        }
    }

    String path() {
        return path;
    }

    void string(String key, Consumer<String> setter) {
        value(key).ifPresent(v -> {
            if (v.isTextual()) {
                setter.accept(v.asText());
            } else {
                wrongType(key, v, "a string");
            }
        });
    }

    void integer(String key, Consumer<Integer> setter) {
        value(key).ifPresent(v -> {
            if (v.isIntegralNumber() && v.canConvertToInt()) {
                setter.accept(v.asInt());
            } else {
                wrongType(key, v, "a whole number");
            }
        });
    }

    void bool(String key, Consumer<Boolean> setter) {
        value(key).ifPresent(v -> {
            if (v.isBoolean()) {
                setter.accept(v.asBoolean());
            } else {
                wrongType(key, v, "true or false");
            }
        });
    }

    void strings(String key, Consumer<List<String>> setter) {
        value(key).ifPresent(v -> {
            if (!v.isArray()) {
                wrongType(key, v, "a list of strings");
                return;
            }
            List<String> items = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                if (v.get(i).isTextual()) {
                    items.add(v.get(i).asText());
                } else {
                    problems.add(new SpecProblem(path + "." + key + "[" + i + "]",
                            describe(v.get(i)) + " must be a string"));
                }
            }
            setter.accept(items);
        });
    }

    void stringMap(String key, Consumer<Map<String, String>> setter) {
        value(key).ifPresent(v -> {
            if (!v.isObject()) {
                wrongType(key, v, "an object of strings");
                return;
            }
            Map<String, String> map = new LinkedHashMap<>();
            v.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    map.put(e.getKey(), e.getValue().asText());
                } else {
                    problems.add(new SpecProblem(path + "." + key + "." + e.getKey(),
                            describe(e.getValue()) + " must be a string"));
                }
            });
            setter.accept(map);
        });
    }

    Optional<JsonFields> object(String key, Set<String> knownKeys) {
        return value(key).map(v -> new JsonFields(v, path + "." + key, knownKeys, problems));
    }

    List<JsonFields> objects(String key, Set<String> knownKeys) {
        List<JsonFields> items = new ArrayList<>();
        value(key).ifPresent(v -> {
            if (!v.isArray()) {
                wrongType(key, v, "a list of objects");
                return;
            }
            for (int i = 0; i < v.size(); i++) {
                items.add(new JsonFields(v.get(i), path + "." + key + "[" + i + "]", knownKeys, problems));
            }
        });
        return items;
    }

    void problem(String key, String message) {
        problems.add(new SpecProblem(path + "." + key, message));
    }

    private Optional<JsonNode> value(String key) {
        JsonNode v = node.isObject() ? node.get(key) : null;
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    private void wrongType(String key, JsonNode v, String expected) {
        problems.add(new SpecProblem(path + "." + key, describe(v) + " must be " + expected));
    }

    static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "the string '" + v.asText() + "'";
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isBoolean()) {
            return "the boolean " + v.asText();
        }
        return v.isArray() ? "a list" : v.isObject() ? "an object" : "null";
    }
}
