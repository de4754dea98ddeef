package com.onepoint.engine.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onepoint.engine.DynamoException;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Values and items to and from DynamoDB's wire JSON ({@code {"S":"x"}}, {@code {"N":"1"}}, ...). */
public final class ValueJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ValueJson() {
    }

    /** An item ({@code {"name": {"S": "x"}, ...}}); null or missing gives an empty map. */
    public static Map<String, Value> item(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw DynamoException.validation("Item must be a map of attribute values");
        }
        Map<String, Value> item = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            item.put(f.getKey(), value(f.getValue()));
        }
        return item;
    }

    public static Value value(JsonNode node) {
        if (node != null && node.isObject() && node.size() > 1) {
            throw DynamoException.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        if (node == null || !node.isObject() || node.size() != 1) {
            throw DynamoException.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        Map.Entry<String, JsonNode> e = node.fields().next();
        JsonNode v = e.getValue();
        switch (e.getKey()) {
            case "S":
                return new Value.S(text(v));
            case "N":
                return Value.N.of(text(v));
            case "B":
                return new Value.B(bytes(v));
            case "BOOL":
                return v.asBoolean() ? Value.Bool.TRUE : Value.Bool.FALSE;
            case "NULL":
                if (!v.asBoolean()) {
                    throw DynamoException.validation("One or more parameter values were invalid: Null attribute value types must have the value of true");
                }
                return Value.Null.INSTANCE;
            case "L": {
                List<Value> list = new ArrayList<>();
                for (JsonNode x : v) {
                    list.add(value(x));
                }
                return new Value.L(list);
            }
            case "M":
                return new Value.M(item(v));
            case "SS": {
                Set<String> set = new LinkedHashSet<>();
                for (JsonNode x : v) {
                    if (!set.add(text(x))) {
                        throw duplicateInSet(v);
                    }
                }
                requireNonEmpty(set, "string");
                return new Value.SS(set);
            }
            case "NS": {
                Set<String> set = new LinkedHashSet<>();
                for (JsonNode x : v) {
                    if (!set.add(Numbers.normalise(text(x)))) {
                        throw duplicateInSet(v);
                    }
                }
                requireNonEmpty(set, "number");
                return new Value.NS(set);
            }
            case "BS": {
                Set<Value.B> set = new LinkedHashSet<>();
                for (JsonNode x : v) {
                    if (!set.add(new Value.B(bytes(x)))) {
                        throw duplicateInSet(v);
                    }
                }
                requireNonEmpty(set, "binary");
                return new Value.BS(set);
            }
            default:
                throw DynamoException.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
    }

    public static ObjectNode json(Map<String, Value> item) {
        ObjectNode o = F.objectNode();
        for (Map.Entry<String, Value> e : item.entrySet()) {
            o.set(e.getKey(), json(e.getValue()));
        }
        return o;
    }

    public static ObjectNode json(Value value) {
        ObjectNode o = F.objectNode();
        if (value instanceof Value.S s) {
            o.put("S", s.value());
        } else if (value instanceof Value.N n) {
            o.put("N", n.text());
        } else if (value instanceof Value.B b) {
            o.put("B", Base64.getEncoder().encodeToString(b.bytes()));
        } else if (value instanceof Value.Bool b) {
            o.put("BOOL", b.value());
        } else if (value instanceof Value.Null) {
            o.put("NULL", true);
        } else if (value instanceof Value.L l) {
            ArrayNode a = o.putArray("L");
            l.values().forEach(x -> a.add(json(x)));
        } else if (value instanceof Value.M m) {
            o.set("M", json(m.values()));
        } else if (value instanceof Value.SS ss) {
            ArrayNode a = o.putArray("SS");
            ss.values().forEach(a::add);
        } else if (value instanceof Value.NS ns) {
            ArrayNode a = o.putArray("NS");
            ns.values().forEach(a::add);
        } else if (value instanceof Value.BS bs) {
            ArrayNode a = o.putArray("BS");
            bs.values().forEach(b -> a.add(Base64.getEncoder().encodeToString(b.bytes())));
        }
        return o;
    }

    private static String text(JsonNode v) {
        if (v == null || !v.isTextual()) {
            throw new DynamoException(DynamoException.SERIALIZATION, "NUMBER_VALUE cannot be converted to String");
        }
        return v.textValue();
    }

    private static byte[] bytes(JsonNode v) {
        try {
            return Base64.getDecoder().decode(text(v));
        } catch (IllegalArgumentException e) {
            throw new DynamoException(DynamoException.SERIALIZATION, "Base64 encoded length is expected a multiple of 4 bytes but found: " + text(v).length());
        }
    }

    private static void requireNonEmpty(Set<?> set, String kind) {
        if (set.isEmpty()) {
            throw DynamoException.validation("One or more parameter values were invalid: An " + kind + " set  may not be empty");
        }
    }

    private static DynamoException duplicateInSet(JsonNode v) {
        return DynamoException.validation("One or more parameter values were invalid: Input collection " + v + " contains duplicates.");
    }
}
