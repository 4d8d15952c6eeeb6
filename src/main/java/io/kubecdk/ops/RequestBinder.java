package io.kubecdk.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.protocol.MarshallingKnownType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Turns a JSON parameter map keyed by boto3 member names into an SDK request, through the model
 * the SDK carries ({@code SdkPojo.sdkFields()}), so a parameter AWS adds tomorrow needs no code here.
 * The SDK accepts unknown keys silently; this binder rejects them and names the valid ones.
 */
public final class RequestBinder {

    private RequestBinder() {
    }

    /**
     * Builds a request of the given class from its parameters.
     *
     * @param requestClass a generated request class such as {@code DescribeInstancesRequest}
     * @param params a JSON object of member names ({@code "Filters"}, {@code "MaxResults"}) to values
     * @throws InvalidCallException naming the path of an unknown key or ill-typed value
     */
    public static SdkRequest bind(Class<? extends SdkRequest> requestClass, JsonNode params) {
        Object builder;
        try {
            builder = requestClass.getMethod("builder").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(requestClass.getName() + " has no static builder()", e);
        }
        var name = requestClass.getSimpleName().replaceFirst("Request$", "");
        return (SdkRequest) fill((SdkPojo) builder, params, name, "input");
    }

    private static Object fill(SdkPojo builder, JsonNode params, String shape, String path) {
        if (!params.isObject()) {
            throw invalidType(path, params, "object (" + shape + ")");
        }
        Map<String, SdkField<?>> fields = new LinkedHashMap<>();
        builder.sdkFields().forEach(f -> fields.put(f.memberName(), f));
        params.properties().forEach(entry -> {
            var field = fields.get(entry.getKey());
            if (field == null) {
                throw new InvalidCallException("Unknown parameter in " + path + ": \"" + entry.getKey()
                        + "\", must be one of: " + String.join(", ", new TreeSet<>(fields.keySet())));
            }
            if (!entry.getValue().isNull()) {
                var memberPath = path.equals("input") ? entry.getKey() : path + "." + entry.getKey();
                field.set(builder, convert(field, entry.getValue(), memberPath));
            }
        });
        return ((SdkBuilder<?, ?>) builder).build();
    }

    private static Object convert(SdkField<?> field, JsonNode value, String path) {
        MarshallingKnownType type = field.marshallingType().getKnownType();
        if (type == null) {
            throw new InvalidCallException("Parameter " + path + " has a type this tool does not support: "
                    + field.marshallingType());
        }
        return switch (type) {
            case STRING -> text(value, path);
            case INTEGER -> integral(value, path, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
            case LONG -> integral(value, path, Long.MIN_VALUE, Long.MAX_VALUE).longValue();
            case SHORT -> integral(value, path, Short.MIN_VALUE, Short.MAX_VALUE).shortValue();
            case BYTE -> integral(value, path, Byte.MIN_VALUE, Byte.MAX_VALUE).byteValue();
            case FLOAT -> decimal(value, path, "number").floatValue();
            case DOUBLE -> decimal(value, path, "number").doubleValue();
            case BIG_DECIMAL -> decimal(value, path, "number");
            case BOOLEAN -> bool(value, path);
            case INSTANT -> instant(value, path);
            case SDK_BYTES -> bytes(value, path);
            case SDK_POJO -> fill(field.constructor().get(), value, field.memberName(), path);
            case LIST -> list(field.getRequiredTrait(ListTrait.class).memberFieldInfo(), value, path);
            case MAP -> map(field.getRequiredTrait(MapTrait.class).valueFieldInfo(), value, path);
            default -> throw new InvalidCallException("Parameter " + path + " has a type this tool does not support: "
                    + type);
        };
    }

    private static List<Object> list(SdkField<?> member, JsonNode value, String path) {
        if (!value.isArray()) {
            throw invalidType(path, value, "list");
        }
        var items = new ArrayList<Object>();
        for (int i = 0; i < value.size(); i++) {
            items.add(convert(member, value.get(i), path + "[" + i + "]"));
        }
        return items;
    }

    private static Map<String, Object> map(SdkField<?> valueField, JsonNode value, String path) {
        if (!value.isObject()) {
            throw invalidType(path, value, "map");
        }
        var entries = new LinkedHashMap<String, Object>();
        value.properties().forEach(e -> entries.put(e.getKey(),
                convert(valueField, e.getValue(), path + "." + e.getKey())));
        return entries;
    }

    private static String text(JsonNode value, String path) {
        if (!value.isValueNode()) {
            throw invalidType(path, value, "string");
        }
        return value.asText();
    }

    private static BigDecimal decimal(JsonNode value, String path, String expected) {
        try {
            if (value.isNumber()) {
                return value.decimalValue();
            }
            if (value.isTextual()) {
                return new BigDecimal(value.asText().trim());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalidType(path, value, expected);
    }

    private static BigDecimal integral(JsonNode value, String path, long min, long max) {
        var number = decimal(value, path, "integer");
        if (number.stripTrailingZeros().scale() > 0
                || number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw invalidType(path, value, "integer between " + min + " and " + max);
        }
        return number;
    }

    private static Boolean bool(JsonNode value, String path) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && value.asText().matches("(?i)true|false")) {
            return Boolean.valueOf(value.asText());
        }
        throw invalidType(path, value, "boolean");
    }

    private static Instant instant(JsonNode value, String path) {
        if (value.isNumber()) {
            return Instant.ofEpochMilli(value.decimalValue().movePointRight(3).longValue());
        }
        if (value.isTextual()) {
            try {
                return OffsetDateTime.parse(value.asText()).toInstant();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw invalidType(path, value, "timestamp (ISO-8601 such as 2024-05-01T10:00:00Z, or epoch seconds)");
    }

    private static SdkBytes bytes(JsonNode value, String path) {
        var encoded = text(value, path);
        try {
            return SdkBytes.fromByteArray(Base64.getDecoder().decode(encoded));
        } catch (IllegalArgumentException e) {
            throw invalidType(path, value, "base64-encoded blob");
        }
    }

    private static InvalidCallException invalidType(String path, JsonNode value, String expected) {
        return new InvalidCallException("Invalid type for parameter " + path + ", value: " + value
                + ", valid types: " + expected);
    }
}
