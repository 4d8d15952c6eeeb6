package io.kubecdk.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The copy of a synthesized template that the local emulator deploys: the same template without the
 * resources the emulator cannot create, each removal listed with its reason. Nothing is added or changed.
 */
final class EmulatorTemplate {

    /** Lambda-backed custom resources: the emulator runs no Lambda code, so their handlers never answer. */
    static final Set<String> LAMBDA_BACKED = Set.of("Custom::CDKBucketDeployment", "Custom::S3AutoDeleteObjects");

    /** Resource types that exist only to serve a removed custom resource. */
    private static final Set<String> PROVIDER_TYPES = Set.of("AWS::Lambda::Function", "AWS::Lambda::LayerVersion",
            "AWS::IAM::Role", "AWS::IAM::Policy");

    /** moto's CloudFormation creates every ELBv2 load balancer as type application, which refuses TCP listeners. */
    static final String LISTENER = "AWS::ElasticLoadBalancingV2::Listener";

    /**
     * A resource left out of the emulator's copy.
     *
     * @param logicalId the template's logical id
     * @param type      the resource type
     * @param reason    why the emulator cannot create it
     */
    record Removed(String logicalId, String type, String reason) {
    }

    private final ObjectNode template;
    private final List<Removed> removed;

    private EmulatorTemplate(ObjectNode template, List<Removed> removed) {
        this.template = template;
        this.removed = List.copyOf(removed);
    }

    /** @return the copy to deploy */
    ObjectNode template() {
        return template;
    }

    /** @return what was left out, and why */
    List<Removed> removed() {
        return removed;
    }

    /** Makes the emulator's copy of SYNTHESIZED (which stays untouched). */
    static EmulatorTemplate of(JsonNode synthesized) {
        ObjectNode copy = synthesized.deepCopy();
        ObjectNode resources = (ObjectNode) copy.get("Resources");
        Map<String, String> reasons = new LinkedHashMap<>();
        resources.fields().forEachRemaining(e -> {
            String type = e.getValue().path("Type").asText();
            if (LAMBDA_BACKED.contains(type)) {
                reasons.put(e.getKey(), "Lambda-backed custom resource; the emulator runs no Lambda handler");
            } else if (type.equals(LISTENER)) {
                reasons.put(e.getKey(), "moto's CloudFormation creates the network load balancer as type"
                        + " 'application' (it ignores Type: network) and then rejects a TCP listener");
            } else if (type.equals("AWS::Route53::RecordSet") && !refersToAResource(e.getValue().path("Properties")
                    .path("HostedZoneId"), resources)) {
                reasons.put(e.getKey(), "record in an existing zone of the account ("
                        + e.getValue().path("Properties").path("HostedZoneId").asText()
                        + "); the emulator generates zone ids, so that zone cannot exist there");
            }
        });
        // The providers of removed custom resources: used by a removed resource and by no kept one.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Iterator<String> ids = resources.fieldNames(); ids.hasNext(); ) {
                String id = ids.next();
                if (reasons.containsKey(id) || !PROVIDER_TYPES.contains(resources.get(id).path("Type").asText())) {
                    continue;
                }
                boolean usedByRemoved = false;
                boolean usedByKept = false;
                for (Iterator<Map.Entry<String, JsonNode>> others = resources.fields(); others.hasNext(); ) {
                    Map.Entry<String, JsonNode> other = others.next();
                    if (other.getKey().equals(id) || !mentions(other.getValue(), id)) {
                        continue;
                    }
                    if (reasons.containsKey(other.getKey())) {
                        usedByRemoved = true;
                    } else {
                        usedByKept = true;
                    }
                }
                if (usedByRemoved && !usedByKept) {
                    reasons.put(id, "serves only a removed Lambda-backed custom resource");
                    changed = true;
                }
            }
        }
        List<Removed> removed = new ArrayList<>();
        reasons.forEach((id, reason) -> removed.add(new Removed(id, resources.get(id).path("Type").asText(), reason)));
        resources.remove(reasons.keySet());
        resources.forEach(resource -> {
            JsonNode dependsOn = resource.get("DependsOn");
            if (dependsOn instanceof ArrayNode list) {
                for (int i = list.size() - 1; i >= 0; i--) {
                    if (reasons.containsKey(list.get(i).asText())) {
                        list.remove(i);
                    }
                }
            } else if (dependsOn != null && reasons.containsKey(dependsOn.asText())) {
                ((ObjectNode) resource).remove("DependsOn");
            }
        });
        Set<String> stillMentioned = new HashSet<>();
        resources.forEach(resource -> reasons.keySet().stream().filter(id -> mentions(resource, id))
                .forEach(stillMentioned::add));
        copy.path("Outputs").forEach(output -> reasons.keySet().stream().filter(id -> mentions(output, id))
                .forEach(stillMentioned::add));
        if (!stillMentioned.isEmpty()) {
            throw new IllegalStateException("kept resources still refer to removed ones: " + stillMentioned);
        }
        return new EmulatorTemplate(copy, removed);
    }

    private static boolean refersToAResource(JsonNode value, JsonNode resources) {
        return value.has("Ref") && resources.has(value.get("Ref").asText());
    }

    /** Whether NODE refers to logical id ID through Ref, Fn::GetAtt or DependsOn. */
    static boolean mentions(JsonNode node, String id) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                switch (field.getKey()) {
                    case "Ref" -> {
                        if (value.asText().equals(id)) {
                            return true;
                        }
                    }
                    case "Fn::GetAtt" -> {
                        String target = value.isArray() ? value.path(0).asText() : value.asText().split("\\.")[0];
                        if (target.equals(id)) {
                            return true;
                        }
                    }
                    case "DependsOn" -> {
                        if (value.isArray()) {
                            for (JsonNode d : value) {
                                if (d.asText().equals(id)) {
                                    return true;
                                }
                            }
                        } else if (value.asText().equals(id)) {
                            return true;
                        }
                    }
                    default -> {
                        if (mentions(value, id)) {
                            return true;
                        }
                    }
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                if (mentions(element, id)) {
                    return true;
                }
            }
        }
        return false;
    }
}
