package com.onepoint.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onepoint.engine.value.ItemSize;
import com.onepoint.engine.value.Value;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consumed capacity as DynamoDB bills on-demand tables: a write is one unit per started KB of the larger of the old
 * and new item, a read one unit per started 4 KB (half for an eventually consistent read), each doubled inside a
 * transaction; a write also costs every index whose entry it writes or removes.
 */
final class Capacity {
    private final String table;
    private double tableUnits;
    private final Map<String, Double> gsi = new LinkedHashMap<>();
    private final Map<String, Double> lsi = new LinkedHashMap<>();

    Capacity(String table) {
        this.table = table;
    }

    static double writeUnits(Map<String, Value> oldItem, Map<String, Value> newItem, boolean transactional) {
        long size = Math.max(oldItem == null ? 0 : ItemSize.of(oldItem), newItem == null ? 0 : ItemSize.of(newItem));
        return ItemSize.units(size, 1024) * (transactional ? 2 : 1);
    }

    static double readUnits(long bytes, boolean consistent, boolean transactional) {
        double units = ItemSize.units(bytes, 4096);
        if (transactional) {
            return units * 2;
        }
        return consistent ? units : units / 2;
    }

    Capacity addTable(double units) {
        tableUnits += units;
        return this;
    }

    Capacity addIndex(TableSchema.IndexSchema index, double units) {
        (index.global() ? gsi : lsi).merge(index.name(), units, Double::sum);
        return this;
    }

    /** One write's cost: to the table, and to each index whose entry it touches. */
    Capacity addWrite(Table t, com.onepoint.engine.store.Key key, Map<String, Value> oldItem, Map<String, Value> newItem,
                      boolean transactional) {
        return addTable(writeUnits(oldItem, newItem, transactional)).addIndexWrites(t, key, oldItem, newItem, transactional);
    }

    /** The write's cost to the indexes: each index whose entry the write touches. */
    private Capacity addIndexWrites(Table t, com.onepoint.engine.store.Key key, Map<String, Value> oldItem,
                            Map<String, Value> newItem, boolean transactional) {
        for (TableSchema.IndexSchema index : t.schema().indexes()) {
            boolean before = oldItem != null && t.indexKey(index, key, oldItem) != null;
            boolean after = newItem != null && t.indexKey(index, key, newItem) != null;
            if (before || after) {
                addIndex(index, writeUnits(before ? t.project(index, oldItem) : null,
                        after ? t.project(index, newItem) : null, transactional));
            }
        }
        return this;
    }

    /** The ConsumedCapacity member for ReturnConsumedCapacity TOTAL or INDEXES; null for NONE. */
    ObjectNode json(String mode) {
        if (mode == null || mode.equals("NONE")) {
            return null;
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("TableName", table);
        double total = tableUnits + gsi.values().stream().mapToDouble(Double::doubleValue).sum()
                + lsi.values().stream().mapToDouble(Double::doubleValue).sum();
        o.put("CapacityUnits", total);
        if (mode.equals("INDEXES")) {
            o.putObject("Table").put("CapacityUnits", tableUnits);
            if (!gsi.isEmpty()) {
                ObjectNode g = o.putObject("GlobalSecondaryIndexes");
                gsi.forEach((k, v) -> g.putObject(k).put("CapacityUnits", v));
            }
            if (!lsi.isEmpty()) {
                ObjectNode l = o.putObject("LocalSecondaryIndexes");
                lsi.forEach((k, v) -> l.putObject(k).put("CapacityUnits", v));
            }
        }
        return o;
    }
}
