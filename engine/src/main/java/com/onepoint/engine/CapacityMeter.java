package com.onepoint.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every call would bill on demand, per table, as if each had asked ReturnConsumedCapacity TOTAL: for a cost
 * model measured on the engine. Off until {@link #enable()}; a caller that did not ask for ConsumedCapacity still
 * gets none. Units of a refused call are not counted (DynamoDB bills a failed condition; the engine reports none).
 */
public final class CapacityMeter {
    private static final Set<String> READS = Set.of("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems");
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
            "TransactWriteItems");

    /** Units and calls of one table; a call touching several tables counts once for each. */
    public record Usage(double readUnits, double writeUnits, long calls) {
    }

    private static final class Tally {
        final DoubleAdder read = new DoubleAdder();
        final DoubleAdder write = new DoubleAdder();
        final LongAdder calls = new LongAdder();
    }

    private final Map<String, Tally> tables = new ConcurrentHashMap<>();
    private volatile boolean enabled;

    public void enable() {
        enabled = true;
    }

    public void disable() {
        enabled = false;
    }

    public void reset() {
        tables.clear();
    }

    /** Usage per table so far, by table name. */
    public Map<String, Usage> usage() {
        Map<String, Usage> out = new TreeMap<>();
        tables.forEach((t, u) -> out.put(t, new Usage(u.read.sum(), u.write.sum(), u.calls.sum())));
        return out;
    }

    boolean meters(String operation) {
        return enabled && (READS.contains(operation) || WRITES.contains(operation));
    }

    /** Runs {@code call} with ReturnConsumedCapacity TOTAL, tallies the answer, and hides it if not asked for. */
    JsonNode metered(String operation, JsonNode body, java.util.function.Function<JsonNode, JsonNode> call) {
        JsonNode asked = body.get("ReturnConsumedCapacity");
        boolean wanted = asked != null && asked.isTextual() && !asked.textValue().equals("NONE");
        JsonNode request = body;
        if (!wanted) {
            request = body.deepCopy();
            ((ObjectNode) request).put("ReturnConsumedCapacity", "TOTAL");
        }
        JsonNode out = call.apply(request);
        JsonNode consumed = out.get("ConsumedCapacity");
        if (consumed != null) {
            Set<String> checkedOnly = operation.equals("TransactWriteItems") ? checkedOnly(body) : Set.of();
            for (JsonNode c : consumed.isArray() ? consumed : java.util.List.of(consumed)) {
                String table = c.path("TableName").asText();
                Tally t = tables.computeIfAbsent(table, k -> new Tally());
                double units = c.path("CapacityUnits").asDouble();
                if (READS.contains(operation) || checkedOnly.contains(table)) {
                    t.read.add(units);
                } else {
                    t.write.add(units);
                }
                t.calls.increment();
            }
            if (!wanted) {
                ((ObjectNode) out).remove("ConsumedCapacity");
            }
        }
        return out;
    }

    /** Tables a transaction only checks: a ConditionCheck bills read units. */
    private static Set<String> checkedOnly(JsonNode body) {
        Set<String> checked = new java.util.HashSet<>();
        Set<String> written = new java.util.HashSet<>();
        for (JsonNode item : body.path("TransactItems")) {
            if (item.has("ConditionCheck")) {
                checked.add(item.path("ConditionCheck").path("TableName").asText());
            }
            for (String kind : new String[]{"Put", "Update", "Delete"}) {
                if (item.has(kind)) {
                    written.add(item.path(kind).path("TableName").asText());
                }
            }
        }
        checked.removeAll(written);
        return checked;
    }
}
