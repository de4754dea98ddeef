package com.onepoint.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onepoint.engine.expr.Placeholders;
import com.onepoint.engine.value.Value;
import com.onepoint.engine.value.ValueJson;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed reads of one request body's members, with DynamoDB's wording when one is missing or malformed. */
final class Request {
    final ObjectNode body;

    Request(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new DynamoException(DynamoException.SERIALIZATION, "Start of structure or map found where not expected");
        }
        this.body = (ObjectNode) body;
    }

    boolean has(String member) {
        JsonNode n = body.get(member);
        return n != null && !n.isNull();
    }

    String string(String member) {
        JsonNode n = body.get(member);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new DynamoException(DynamoException.SERIALIZATION, "Unexpected value type in payload for " + member);
        }
        return n.textValue();
    }

    String required(String member) {
        String s = string(member);
        if (s == null) {
            throw DynamoException.validation("1 validation error detected: Value null at '" + lowerFirst(member)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return s;
    }

    String oneOf(String member, String fallback, Set<String> allowed) {
        String s = string(member);
        if (s == null) {
            return fallback;
        }
        if (!allowed.contains(s)) {
            throw DynamoException.validation("1 validation error detected: Value '" + s + "' at '" + lowerFirst(member)
                    + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
        }
        return s;
    }

    Integer integer(String member) {
        JsonNode n = body.get(member);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToInt()) {
            throw new DynamoException(DynamoException.SERIALIZATION, "Unexpected value type in payload for " + member);
        }
        return n.intValue();
    }

    boolean bool(String member, boolean fallback) {
        JsonNode n = body.get(member);
        return n == null || n.isNull() ? fallback : n.asBoolean();
    }

    JsonNode node(String member) {
        JsonNode n = body.get(member);
        return n == null || n.isNull() ? null : n;
    }

    Map<String, Value> item(String member) {
        return ValueJson.item(body.get(member));
    }

    Request nested(String member) {
        JsonNode n = node(member);
        return n == null ? null : new Request(n);
    }

    /**
     * DynamoDB's checks before any expression is parsed: legacy parameters (AttributesToGet, Expected, ...) and
     * expressions are not mixed, and placeholders come only with an expression that can use them. The lists are the
     * operation's members of each kind, in the order DynamoDB names them.
     */
    void checkExpressionParameters(List<String> expressions, List<String> legacy) {
        List<String> given = present(expressions, null);
        if (!given.isEmpty()) {
            // KeyConditions without a KeyConditionExpression is the key condition itself, not a mix
            List<String> legacyGiven = present(legacy, has("KeyConditionExpression") ? null : "KeyConditions");
            if (!legacyGiven.isEmpty()) {
                throw DynamoException.validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {"
                        + String.join(", ", legacyGiven) + "} Expression parameters: {" + String.join(", ", given) + "}");
            }
        } else if (has("ExpressionAttributeNames")) {
            throw DynamoException.validation("ExpressionAttributeNames can only be specified when using expressions");
        }
        // a ProjectionExpression has no values to use: without any other expression the values are refused
        if (has("ExpressionAttributeValues") && present(expressions, "ProjectionExpression").isEmpty()) {
            List<String> valueExpressions = new ArrayList<>(expressions);
            valueExpressions.remove("ProjectionExpression");
            if (!valueExpressions.isEmpty()) {
                throw DynamoException.validation("ExpressionAttributeValues can only be specified when using expressions: "
                        + String.join(" and ", valueExpressions) + (valueExpressions.size() > 1 ? " are null" : " is null"));
            }
        }
    }

    /** The members of {@code members} this request has, but {@code except}; no allocation when it has none. */
    private List<String> present(List<String> members, String except) {
        List<String> found = List.of();
        for (String m : members) {
            if (has(m) && !m.equals(except)) {
                if (found.isEmpty()) {
                    found = new ArrayList<>(members.size());
                }
                found.add(m);
            }
        }
        return found;
    }

    /** ExpressionAttributeNames and ExpressionAttributeValues of this request (or of one transaction action). */
    Placeholders placeholders() {
        Map<String, String> names = new LinkedHashMap<>();
        JsonNode n = body.get("ExpressionAttributeNames");
        if (n != null && n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                names.put(e.getKey(), e.getValue().asText());
            }
        }
        Map<String, Value> values = new LinkedHashMap<>();
        JsonNode v = body.get("ExpressionAttributeValues");
        if (v != null && v.isObject()) {
            if (v.size() == 0) {
                throw DynamoException.validation("ExpressionAttributeValues must not be empty");
            }
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                values.put(e.getKey(), ValueJson.value(e.getValue()));
            }
        }
        if (n != null && n.isObject() && n.size() == 0) {
            throw DynamoException.validation("ExpressionAttributeNames must not be empty");
        }
        return new Placeholders(names, values);
    }

    private static String lowerFirst(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
