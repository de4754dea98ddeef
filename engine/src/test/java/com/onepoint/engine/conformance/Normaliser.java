package com.onepoint.engine.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What is taken out of a response before the two sides are compared. Everything here is listed in CONFORMANCE.md;
 * nothing a client relies on (items, keys, LastEvaluatedKey, counts, cancellation reasons, capacity units) is touched
 * beyond ordering where DynamoDB documents no order.
 *
 * <ol>
 *   <li>Opaque ids: the values of {@link #OPAQUE} members become {@code "<Member>"} (their presence is still compared).</li>
 *   <li>ARNs: in the values of {@link #ARNS} members the stream label after {@code /stream/} becomes {@code <label>};
 *       table name, region and account (moto runs with MOTO_ACCOUNT_ID=000000000000) are compared.</li>
 *   <li>Timestamps: numeric values of {@link #TIMES} members become {@code "<time>"}.</li>
 *   <li>Free sizes and counts: {@link #FREE} members become {@code "<free>"}: a table's and an index's size and item
 *       count (DynamoDB refreshes them about every six hours) and a stream record's SizeBytes (how it is counted is
 *       not documented; moto's value even varies with its timestamp).</li>
 *   <li>Unordered collections are sorted: SS/NS/BS members; Scan's (and merged pages') Items; BatchGetItem
 *       Responses and UnprocessedKeys; BatchWriteItem UnprocessedItems; ListStreams Streams; ConsumedCapacity lists;
 *       a table's AttributeDefinitions (by name) and its secondary indexes (by IndexName).</li>
 *   <li>JSON numbers (not N strings) compare by value: 1.0 equals 1.</li>
 *   <li>An error's {@code __type} keeps only what follows '#'. Object members are compared in any order.</li>
 * </ol>
 * None of 1-4 applies inside items (Item, Items, Attributes, Key(s), images...), where member names are attribute
 * names.
 */
final class Normaliser {
    static final Set<String> OPAQUE = Set.of("TableId", "ShardId", "ParentShardId", "SequenceNumber",
            "StartingSequenceNumber", "EndingSequenceNumber", "ShardIterator", "NextShardIterator", "eventID",
            "LatestStreamLabel", "StreamLabel");
    static final Set<String> ARNS = Set.of("TableArn", "IndexArn", "StreamArn", "LatestStreamArn",
            "LastEvaluatedStreamArn");
    static final Set<String> TIMES = Set.of("CreationDateTime", "ApproximateCreationDateTime", "LastIncreaseDateTime",
            "LastDecreaseDateTime", "CreationRequestDateTime", "LastUpdateToPayPerRequestDateTime");
    static final Set<String> FREE = Set.of("TableSizeBytes", "ItemCount", "IndexSizeBytes", "SizeBytes");

    /** Members whose values are items (attribute name to value) or lists / maps of them. */
    private static final Set<String> ITEM_MEMBERS = Set.of("Item", "Items", "Attributes", "Key", "Keys",
            "LastEvaluatedKey", "ExclusiveStartKey", "NewImage", "OldImage", "Responses", "UnprocessedKeys",
            "UnprocessedItems", "ItemCollectionKey");
    private static final Set<String> SET_TYPES = Set.of("SS", "NS", "BS");
    private static final Pattern STREAM_LABEL = Pattern.compile("/stream/[^/|]+");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Normaliser() {
    }

    /** The compared view of a response: {@code $status} plus the body's members, normalised. */
    static ObjectNode view(String operation, int status, JsonNode body) {
        ObjectNode v = F.objectNode();
        v.put("$status", status);
        if (body.isObject()) {
            JsonNode n = normalise(operation, body);
            n.fields().forEachRemaining(e -> v.set(e.getKey(), e.getValue()));
            JsonNode type = v.get("__type");
            if (type != null && type.isTextual()) {
                String t = type.asText();
                v.put("__type", t.substring(t.indexOf('#') + 1));
            }
        } else {
            v.set("$body", body);
        }
        return canonical(v);
    }

    static JsonNode normalise(String operation, JsonNode body) {
        ObjectNode out = (ObjectNode) meta(body);
        switch (operation) {
            case "Scan":
            case "$merged":
                sortArray(out, "Items");
                break;
            case "BatchGetItem":
                sortEachTable(out.get("Responses"), null);
                sortEachTable(out.get("UnprocessedKeys"), "Keys");
                break;
            case "BatchWriteItem":
                sortEachTable(out.get("UnprocessedItems"), null);
                break;
            case "ListStreams":
                sortArray(out, "Streams");
                break;
            default:
                break;
        }
        return out;
    }

    /** Rules 1-5 outside items; inside items only set members are sorted. */
    private static JsonNode meta(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = F.objectNode();
            n.fields().forEachRemaining(e -> {
                String k = e.getKey();
                JsonNode v = e.getValue();
                if (ITEM_MEMBERS.contains(k)) {
                    out.set(k, items(v));
                } else if (OPAQUE.contains(k) && !v.isNull()) {
                    out.put(k, "<" + k + ">");
                } else if (ARNS.contains(k) && v.isTextual()) {
                    out.put(k, STREAM_LABEL.matcher(v.asText()).replaceAll("/stream/<label>"));
                } else if (TIMES.contains(k) && v.isNumber()) {
                    out.put(k, "<time>");
                } else if (FREE.contains(k) && v.isNumber()) {
                    out.put(k, "<free>");
                } else {
                    out.set(k, meta(v));
                }
            });
            sortArray(out, "ConsumedCapacity");
            sortArrayBy(out, "AttributeDefinitions", "AttributeName");
            sortArrayBy(out, "GlobalSecondaryIndexes", "IndexName");
            sortArrayBy(out, "LocalSecondaryIndexes", "IndexName");
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = F.arrayNode();
            n.forEach(e -> out.add(meta(e)));
            return out;
        }
        return number(n);
    }

    /** Inside items: only set members are reordered (and JSON numbers, which items don't hold, compared by value). */
    private static JsonNode items(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = F.objectNode();
            n.fields().forEachRemaining(e -> out.set(e.getKey(), items(e.getValue())));
            if (out.size() == 1) {
                Map.Entry<String, JsonNode> only = out.fields().next();
                if (SET_TYPES.contains(only.getKey()) && only.getValue().isArray()) {
                    List<JsonNode> members = new ArrayList<>();
                    only.getValue().forEach(members::add);
                    members.sort(Comparator.comparing(JsonNode::toString));
                    ArrayNode sorted = F.arrayNode();
                    members.forEach(sorted::add);
                    out.set(only.getKey(), sorted);
                }
            }
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = F.arrayNode();
            n.forEach(e -> out.add(items(e)));
            return out;
        }
        return number(n);
    }

    private static JsonNode number(JsonNode n) {
        if (n.isNumber()) {
            BigDecimal d = n.decimalValue().stripTrailingZeros();
            if (d.scale() < 0) {
                d = d.setScale(0);
            }
            return DecimalNode.valueOf(d);
        }
        return n;
    }

    private static void sortEachTable(JsonNode perTable, String member) {
        if (perTable == null || !perTable.isObject()) {
            return;
        }
        perTable.fields().forEachRemaining(e -> {
            if (member == null) {
                if (e.getValue().isArray()) {
                    ((ObjectNode) perTable).set(e.getKey(), sorted(e.getValue(), null));
                }
            } else if (e.getValue().isObject()) {
                sortArray((ObjectNode) e.getValue(), member);
            }
        });
    }

    private static void sortArray(ObjectNode o, String member) {
        JsonNode a = o.get(member);
        if (a != null && a.isArray()) {
            o.set(member, sorted(a, null));
        }
    }

    private static void sortArrayBy(ObjectNode o, String member, String key) {
        JsonNode a = o.get(member);
        if (a != null && a.isArray()) {
            o.set(member, sorted(a, key));
        }
    }

    private static ArrayNode sorted(JsonNode a, String key) {
        List<JsonNode> list = new ArrayList<>();
        a.forEach(e -> list.add(canonical(e)));
        list.sort(Comparator.comparing((JsonNode e) -> key == null ? "" : e.path(key).asText())
                .thenComparing(JsonNode::toString));
        ArrayNode out = F.arrayNode();
        list.forEach(out::add);
        return out;
    }

    /** The same tree with every object's members in name order, so printing (and sorting by text) is stable. */
    static JsonNode canonicalTree(JsonNode n) {
        return canonical(n);
    }

    @SuppressWarnings("unchecked")
    private static <T extends JsonNode> T canonical(T n) {
        if (n.isObject()) {
            TreeMap<String, JsonNode> m = new TreeMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), canonical(e.getValue())));
            ObjectNode out = F.objectNode();
            m.forEach(out::set);
            return (T) out;
        }
        if (n.isArray()) {
            ArrayNode out = F.arrayNode();
            n.forEach(e -> out.add(canonical(e)));
            return (T) out;
        }
        return n;
    }

    static TextNode text(String s) {
        return TextNode.valueOf(s);
    }
}
