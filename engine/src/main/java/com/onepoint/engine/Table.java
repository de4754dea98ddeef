package com.onepoint.engine;

import com.onepoint.engine.TableSchema.IndexSchema;
import com.onepoint.engine.store.Changes;
import com.onepoint.engine.store.Key;
import com.onepoint.engine.stream.StreamRecord;
import com.onepoint.engine.stream.TableStream;
import com.onepoint.engine.value.CompactItem;
import com.onepoint.engine.value.Value;
import org.h2.mvstore.MVMap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One table's data: its items by key, one map per secondary index (entries keyed by index key then table key,
 * holding the projected item), and its stream. Index entries and stream records are written with the item, under
 * the item's lock, so an index is never behind its table and the stream holds each change once.
 */
final class Table {
    private volatile TableSchema schema;
    final MVMap<Key, Map<String, Value>> items;
    final Map<String, MVMap<Key, Map<String, Value>>> indexes;
    final TableStream stream;

    Table(TableSchema schema, MVMap<Key, Map<String, Value>> items, Map<String, MVMap<Key, Map<String, Value>>> indexes,
          TableStream stream) {
        this.schema = schema;
        this.items = items;
        this.indexes = indexes;
        this.stream = stream;
    }

    TableSchema schema() {
        return schema;
    }

    void schema(TableSchema schema) {
        this.schema = schema;
    }

    String name() {
        return schema.name();
    }

    /**
     * Adds the replacement of an item (newItem null deletes it) to {@code changes}: the item, its index entries and
     * its stream record; the caller holds the item's lock until the store has written them. A write that leaves the
     * item as it was changes nothing and streams nothing.
     */
    void write(Changes changes, Key key, Map<String, Value> oldItem, Map<String, Value> newItem, long nowMillis,
               boolean byTtl) {
        if (java.util.Objects.equals(oldItem, newItem)) {
            return;
        }
        newItem = CompactItem.of(newItem);
        if (newItem == null) {
            changes.remove(items, key);
        } else {
            changes.put(items, key, newItem);
        }
        for (IndexSchema index : schema.indexes()) {
            Key oldEntry = oldItem == null ? null : indexKey(index, key, oldItem);
            Key newEntry = newItem == null ? null : indexKey(index, key, newItem);
            MVMap<Key, Map<String, Value>> map = indexes.get(index.name());
            if (oldEntry != null && !oldEntry.equals(newEntry)) {
                changes.remove(map, oldEntry);
            }
            if (newEntry != null) {
                changes.put(map, newEntry, project(index, newItem));
            }
        }
        if (stream != null) {
            StreamRecord.EventName name = oldItem == null ? StreamRecord.EventName.INSERT
                    : newItem == null ? StreamRecord.EventName.REMOVE : StreamRecord.EventName.MODIFY;
            Map<String, Value> keys = schema.keyAttributes(newItem != null ? newItem : oldItem);
            stream.append(changes, name, nowMillis, keys, newItem, oldItem, byTtl);
        }
    }

    /** The entry key of an item in an index, or null when the item lacks an index key attribute (sparse index). */
    Key indexKey(IndexSchema index, Key tableKey, Map<String, Value> item) {
        Value h = item.get(index.hash().name());
        if (h == null || h.type() != index.hash().type()) {
            return null;
        }
        Value r = null;
        if (index.range() != null) {
            r = item.get(index.range().name());
            if (r == null || r.type() != index.range().type()) {
                return null;
            }
        }
        java.util.List<Value> parts = new java.util.ArrayList<>(4);
        parts.add(h);
        if (r != null) {
            parts.add(r);
        }
        parts.addAll(tableKey.parts());
        return new Key(parts);
    }

    /** Checks an item's index key attributes have the declared types (DynamoDB refuses the write otherwise). */
    void checkIndexKeyTypes(Map<String, Value> item) {
        for (IndexSchema index : schema.indexes()) {
            checkIndexKeyType(index, index.hash(), item);
            if (index.range() != null) {
                checkIndexKeyType(index, index.range(), item);
            }
        }
    }

    private static void checkIndexKeyType(IndexSchema index, TableSchema.KeyAttr attr, Map<String, Value> item) {
        Value v = item.get(attr.name());
        if (v != null && v.type() != attr.type()) {
            throw DynamoException.validation("One or more parameter values were invalid: Type mismatch for Index Key "
                    + attr.name() + " Expected: " + attr.type() + " Actual: " + v.type() + " IndexName: " + index.name());
        }
        if (v instanceof Value.S s && s.value().isEmpty() || v instanceof Value.B b && b.bytes().length == 0) {
            throw DynamoException.validation("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty "
                    + (v.type() == com.onepoint.engine.value.Type.S ? "string" : "binary") + " value. IndexName: "
                    + index.name() + ", IndexKey: " + attr.name());
        }
    }

    /** What an index holds of an item: the table and index keys, plus the projected attributes. */
    Map<String, Value> project(IndexSchema index, Map<String, Value> item) {
        if (index.projectionType().equals("ALL")) {
            return item;
        }
        Map<String, Value> projected = new LinkedHashMap<>();
        for (Map.Entry<String, Value> e : item.entrySet()) {
            String name = e.getKey();
            if (schema.isKeyAttribute(name) || name.equals(index.hash().name())
                    || (index.range() != null && name.equals(index.range().name())) || index.projects(name)) {
                projected.put(name, e.getValue());
            }
        }
        return CompactItem.of(java.util.Collections.unmodifiableMap(projected));
    }
}
