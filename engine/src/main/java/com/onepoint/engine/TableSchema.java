package com.onepoint.engine;

import com.onepoint.engine.value.Type;
import com.onepoint.engine.value.Value;

import java.util.List;
import java.util.Map;

/**
 * A table as CreateTable declared it, plus what UpdateTimeToLive set. Immutable; kept as JSON in the store's
 * metadata so a restart brings the table back exactly. {@code throughput} is the ProvisionedThroughput given (0/0
 * on demand); it is only reported, never enforced.
 */
public record TableSchema(String name, String tableId, long createdMillis, KeyAttr hash, KeyAttr range,
                          List<KeyAttr> attributeDefinitions, List<IndexSchema> indexes, StreamSpec stream,
                          String ttlAttribute, String billingMode, Throughput throughput) {

    public TableSchema {
        // metadata written before throughput was kept has none: such a table reports 0/0, as it did then
        throughput = throughput == null ? Throughput.ON_DEMAND : throughput;
    }

    public record KeyAttr(String name, Type type) {
    }

    /** Read and write capacity units as ProvisionedThroughput gives them. */
    public record Throughput(long read, long write) {
        public static final Throughput ON_DEMAND = new Throughput(0, 0);
    }

    /**
     * A GSI or LSI. Projection: ALL, KEYS_ONLY or INCLUDE with nonKeyAttributes. throughput: a GSI's own
     * ProvisionedThroughput (0/0 on demand); null for an LSI, which shares the table's.
     */
    public record IndexSchema(String name, boolean global, KeyAttr hash, KeyAttr range, String projectionType,
                              List<String> nonKeyAttributes, long createdMillis, Throughput throughput) {
        public IndexSchema {
            throughput = global && throughput == null ? Throughput.ON_DEMAND : throughput; // as for the table
        }

        public boolean projects(String attribute) {
            return projectionType.equals("ALL") || (projectionType.equals("INCLUDE") && nonKeyAttributes.contains(attribute));
        }
    }

    /** Stream settings; label is the stream's creation time, the last part of its ARN. */
    public record StreamSpec(boolean enabled, String viewType, String label) {
    }

    public TableSchema withTtl(String attribute) {
        return new TableSchema(name, tableId, createdMillis, hash, range, attributeDefinitions, indexes, stream,
                attribute, billingMode, throughput);
    }

    public IndexSchema index(String indexName) {
        for (IndexSchema i : indexes) {
            if (i.name().equals(indexName)) {
                return i;
            }
        }
        return null;
    }

    public boolean isKeyAttribute(String attribute) {
        return attribute.equals(hash.name()) || (range != null && attribute.equals(range.name()));
    }

    /** The table's key of an item, after checking the item has its key attributes with their declared types. */
    public com.onepoint.engine.store.Key keyOf(Map<String, Value> item) {
        Value h = keyValue(item, hash);
        if (range == null) {
            return com.onepoint.engine.store.Key.of(h);
        }
        return com.onepoint.engine.store.Key.of(h, keyValue(item, range));
    }

    /** The primary key attributes of an item, in key order. */
    public Map<String, Value> keyAttributes(Map<String, Value> item) {
        if (range == null) {
            return Map.of(hash.name(), item.get(hash.name()));
        }
        java.util.LinkedHashMap<String, Value> k = new java.util.LinkedHashMap<>();
        k.put(hash.name(), item.get(hash.name()));
        k.put(range.name(), item.get(range.name()));
        return k;
    }

    /** Validates a Key parameter: exactly the key attributes, with their types. */
    public com.onepoint.engine.store.Key keyParameter(Map<String, Value> key) {
        int expected = range == null ? 1 : 2;
        if (key.size() != expected || !key.containsKey(hash.name()) || (range != null && !key.containsKey(range.name()))) {
            throw DynamoException.validation("The provided key element does not match the schema");
        }
        for (Map.Entry<String, Value> e : key.entrySet()) {
            Type declared = e.getKey().equals(hash.name()) ? hash.type() : range.type();
            if (e.getValue().type() != declared) {
                throw DynamoException.validation("The provided key element does not match the schema");
            }
        }
        return keyOf(key);
    }

    private static Value keyValue(Map<String, Value> item, KeyAttr attr) {
        Value v = item.get(attr.name());
        if (v == null) {
            throw DynamoException.validation("One or more parameter values were invalid: Missing the key " + attr.name() + " in the item");
        }
        if (v.type() != attr.type()) {
            throw DynamoException.validation("One or more parameter values were invalid: Type mismatch for key "
                    + attr.name() + " expected: " + attr.type() + " actual: " + v.type());
        }
        if (v instanceof Value.S s && s.value().isEmpty() || v instanceof Value.B b && b.bytes().length == 0) {
            throw DynamoException.validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
                    + (v.type() == Type.S ? "string" : "binary") + " value. Key: " + attr.name());
        }
        return v;
    }
}
