package io.kubecdk.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Turns an SDK response into the JSON tree boto3 users know: member names as keys, unset members
 * left out, timestamps as ISO-8601, blobs as base64, and a {@code ResponseMetadata} object with the
 * request id and HTTP status.
 */
public final class ResponseJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResponseJson() {
    }

    /** The JSON tree of a response, with its {@code ResponseMetadata}. */
    public static ObjectNode of(SdkPojo response) {
        var tree = object(response);
        if (response instanceof AwsResponse aws) {
            var metadata = tree.putObject("ResponseMetadata");
            metadata.put("RequestId", aws.responseMetadata().requestId());
            metadata.put("HTTPStatusCode", aws.sdkHttpResponse().statusCode());
        }
        return tree;
    }

    private static ObjectNode object(SdkPojo pojo) {
        var node = NODES.objectNode();
        for (var field : pojo.sdkFields()) {
            var value = field.getValueOrDefault(pojo);
            if (value != null && !(value instanceof SdkAutoConstructList) && !(value instanceof SdkAutoConstructMap)) {
                node.set(field.memberName(), value(value));
            }
        }
        return node;
    }

    private static JsonNode value(Object value) {
        if (value instanceof SdkPojo pojo) {
            return object(pojo);
        } else if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(value(item)));
            return array;
        } else if (value instanceof Map<?, ?> map) {
            var node = NODES.objectNode();
            map.forEach((k, v) -> node.set(String.valueOf(k), value(v)));
            return node;
        } else if (value instanceof Instant instant) {
            return NODES.textNode(instant.toString());
        } else if (value instanceof SdkBytes bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe()));
        } else if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        } else if (value instanceof Long number) {
            return NODES.numberNode(number);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).intValue());
        } else if (value instanceof Float || value instanceof Double) {
            return NODES.numberNode(Double.parseDouble(value.toString()));
        } else if (value instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        return NODES.textNode(String.valueOf(value));
    }
}
