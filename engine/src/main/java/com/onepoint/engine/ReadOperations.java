package com.onepoint.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onepoint.engine.TableSchema.IndexSchema;
import com.onepoint.engine.TableSchema.KeyAttr;
import com.onepoint.engine.expr.Condition;
import com.onepoint.engine.expr.Expressions;
import com.onepoint.engine.expr.KeyCondition;
import com.onepoint.engine.expr.Placeholders;
import com.onepoint.engine.expr.Projection;
import com.onepoint.engine.expr.RangeCondition;
import com.onepoint.engine.store.Key;
import com.onepoint.engine.value.ItemSize;
import com.onepoint.engine.value.Value;
import com.onepoint.engine.value.ValueJson;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Query and Scan. Both read a map in key order (an index map is ordered by index key, then table key), stop at
 * {@code Limit} items read or 1 MB, whichever comes first, and only then apply the filter, as DynamoDB does.
 */
final class ReadOperations {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final long PAGE_BYTES = 1024 * 1024;
    private static final Set<String> SELECT = Set.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT");
    private static final Set<String> CAPACITY = Set.of("NONE", "TOTAL", "INDEXES");
    private static final List<String> QUERY_EXPRESSIONS = List.of("ProjectionExpression", "FilterExpression", "KeyConditionExpression");
    private static final List<String> QUERY_LEGACY = List.of("AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions");
    private static final List<String> SCAN_EXPRESSIONS = List.of("ProjectionExpression", "FilterExpression");
    private static final List<String> SCAN_LEGACY = List.of("AttributesToGet", "ScanFilter", "ConditionalOperator");

    private final DynamoEngine engine;

    ReadOperations(DynamoEngine engine) {
        this.engine = engine;
    }

    /** What is being read: the table itself or one of its indexes. */
    private record Source(Table table, IndexSchema index, KeyAttr hash, KeyAttr range, MVMap<Key, Map<String, Value>> map) {
        static Source of(Table t, String indexName) {
            if (indexName == null) {
                return new Source(t, null, t.schema().hash(), t.schema().range(), t.items);
            }
            IndexSchema i = t.schema().index(indexName);
            if (i == null) {
                throw DynamoException.validation("The table does not have the specified index: " + indexName);
            }
            return new Source(t, i, i.hash(), i.range(), t.indexes.get(indexName));
        }

        /** The map key of ExclusiveStartKey, which holds the table key and, for an index, the index key too. */
        Key startKey(Map<String, Value> start) {
            TableSchema s = table.schema();
            Map<String, Value> tableKey = new java.util.LinkedHashMap<>();
            tableKey.put(s.hash().name(), start.get(s.hash().name()));
            if (s.range() != null) {
                tableKey.put(s.range().name(), start.get(s.range().name()));
            }
            if (tableKey.containsValue(null)) {
                throw DynamoException.validation("The provided starting key is invalid: The provided key element does not match the schema");
            }
            Key key = s.keyParameter(tableKey);
            if (index == null) {
                return key;
            }
            Key k = table.indexKey(index, key, start);
            if (k == null) {
                throw DynamoException.validation("The provided starting key is invalid: The provided key element does not match the schema");
            }
            return k;
        }

        /** LastEvaluatedKey of an item: table key plus, for an index, the index key attributes. */
        ObjectNode lastKey(Map<String, Value> item) {
            ObjectNode o = ValueJson.json(table.schema().keyAttributes(item));
            if (index != null) {
                o.set(index.hash().name(), ValueJson.json(item.get(index.hash().name())));
                if (index.range() != null) {
                    o.set(index.range().name(), ValueJson.json(item.get(index.range().name())));
                }
            }
            return o;
        }
    }

    JsonNode query(Request r) {
        r.checkExpressionParameters(QUERY_EXPRESSIONS, QUERY_LEGACY);
        Table t = engine.table(r.required("TableName"));
        Source source = Source.of(t, r.string("IndexName"));
        Placeholders p = r.placeholders();
        String keyText = r.string("KeyConditionExpression");
        if (keyText == null) {
            throw DynamoException.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        KeyCondition kc = Expressions.keyCondition(keyText, p, source.hash().name(),
                source.range() == null ? null : source.range().name());
        if (kc.hashValue().type() != source.hash().type()
                || (kc.range() != null && kc.range().value().type() != source.range().type())
                || (kc.range() != null && kc.range().upper() != null && kc.range().upper().type() != source.range().type())) {
            throw DynamoException.validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
        }
        Condition filter = filter(r, p);
        if (filter != null) {
            // the key schema read decides what a filter may not name: the index's keys when querying an index
            Set<String> names = Expressions.topLevelNames(filter);
            for (KeyAttr key : source.range() == null ? List.of(source.hash()) : List.of(source.hash(), source.range())) {
                if (names.contains(key.name())) {
                    throw DynamoException.validation("Filter Expression can only contain non-primary key attributes: Primary key attribute: " + key.name());
                }
            }
        }
        Projection projection = ItemOperations.projection(r, p);
        p.requireAllUsed();
        boolean forward = r.bool("ScanIndexForward", true);
        Key start = r.has("ExclusiveStartKey") ? source.startKey(r.item("ExclusiveStartKey")) : null;
        if (start != null && !start.part(0).equals(kc.hashValue())) {
            throw DynamoException.validation("The provided starting key is outside query boundaries based on provided key conditions");
        }
        Value hash = kc.hashValue();
        Iterator<Key> keys = forward
                ? source.map().keyIterator(start != null ? start : lowerBound(hash, kc.range()))
                : source.map().keyIteratorReverse(start != null ? start : source.map().floorKey(Key.after(hash)));
        RangeCondition range = kc.range();
        int rangeIndex = 1;
        return page(r, source, keys, start, k -> k.part(0).equals(hash),
                k -> range == null || range.test(k.part(rangeIndex)), filter, projection);
    }

    JsonNode scan(Request r) {
        r.checkExpressionParameters(SCAN_EXPRESSIONS, SCAN_LEGACY);
        Table t = engine.table(r.required("TableName"));
        Source source = Source.of(t, r.string("IndexName"));
        Integer segment = r.integer("Segment");
        Integer total = r.integer("TotalSegments");
        if ((segment == null) != (total == null)) {
            throw DynamoException.validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        }
        if (total != null && (total < 1 || total > 1_000_000)) {
            throw DynamoException.validation("1 validation error detected: Value '" + total
                    + "' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000");
        }
        if (segment != null && (segment < 0 || segment >= total)) {
            throw DynamoException.validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: "
                    + segment + " is not less than TotalSegments: " + total);
        }
        Placeholders p = r.placeholders();
        Condition filter = filter(r, p);
        Projection projection = ItemOperations.projection(r, p);
        p.requireAllUsed();
        Key start = r.has("ExclusiveStartKey") ? source.startKey(r.item("ExclusiveStartKey")) : null;
        Iterator<Key> keys = source.map().keyIterator(start);
        java.util.function.Predicate<Key> inSegment = segment == null ? k -> true
                : k -> Math.floorMod(k.part(0).hashCode() * 0x9E3779B9, total) == segment;
        return page(r, source, keys, start, k -> true, inSegment, filter, projection);
    }

    /**
     * Reads keys until {@code inRange} fails, keeping those {@code matches} accepts, up to Limit or 1 MB; then
     * filters and projects. {@code start} (ExclusiveStartKey) itself is skipped.
     */
    private JsonNode page(Request r, Source source, Iterator<Key> keys, Key start,
                          java.util.function.Predicate<Key> inRange, java.util.function.Predicate<Key> matches,
                          Condition filter, Projection projection) {
        Integer limit = r.integer("Limit");
        if (limit != null && limit < 1) {
            throw DynamoException.validation("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        String select = r.oneOf("Select", null, SELECT);
        if (select != null && select.equals("SPECIFIC_ATTRIBUTES") && projection == null) {
            throw DynamoException.validation("Select type SPECIFIC_ATTRIBUTES requires either AttributesToGet or ProjectionExpression");
        }
        if (select != null && !select.equals("SPECIFIC_ATTRIBUTES") && projection != null) {
            throw DynamoException.validation("Cannot specify the " + (r.has("AttributesToGet") ? "AttributesToGet" : "ProjectionExpression")
                    + " when choosing to get " + select);
        }
        if ("ALL_PROJECTED_ATTRIBUTES".equals(select) && source.index() == null) {
            throw DynamoException.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
        IndexSchema index = source.index();
        boolean partialIndex = index != null && !index.projectionType().equals("ALL");
        if ("ALL_ATTRIBUTES".equals(select) && partialIndex && index.global()) {
            throw DynamoException.validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index "
                    + index.name() + " because its projection type is not ALL");
        }
        // an LSI lives with its table's partition, so DynamoDB fetches the rest of each item from the table
        boolean fromTable = "ALL_ATTRIBUTES".equals(select) && partialIndex;
        boolean consistent = r.bool("ConsistentRead", false);
        if (consistent && source.index() != null && source.index().global()) {
            throw DynamoException.validation("Consistent reads are not supported on global secondary indexes");
        }
        String capacityMode = r.oneOf("ReturnConsumedCapacity", "NONE", CAPACITY);
        engine.faults.before(r.has("KeyConditionExpression") ? "Query" : "Scan", List.of(source.table().name()));
        boolean count = "COUNT".equals(select);
        ObjectNode out = F.objectNode();
        ArrayNode items = count ? null : out.putArray("Items");
        int scanned = 0;
        int matched = 0;
        long bytes = 0;
        Map<String, Value> last = null;
        boolean more = false;
        while (keys.hasNext()) {
            Key k = keys.next();
            if (start != null && k.equals(start)) {
                continue;
            }
            if (!inRange.test(k)) {
                break;
            }
            if (!matches.test(k)) {
                continue;
            }
            if ((limit != null && scanned >= limit) || bytes >= PAGE_BYTES) {
                more = true;
                break;
            }
            Map<String, Value> item = source.map().get(k);
            if (item != null && fromTable) {
                item = source.table().items.get(source.table().schema().keyOf(item));
            }
            if (item == null) {
                continue; // removed since the iterator passed it
            }
            scanned++;
            bytes += ItemSize.of(item);
            last = item;
            if (filter == null || filter.test(item)) {
                matched++;
                if (!count) {
                    items.add(ValueJson.json(projection == null ? item : projection.apply(item)));
                }
            }
        }
        if (limit != null && scanned == limit && last != null && !more) {
            more = true; // DynamoDB stops at Limit and hands back the key even when nothing follows
        }
        out.put("Count", matched);
        out.put("ScannedCount", scanned);
        if (more && last != null) {
            out.set("LastEvaluatedKey", source.lastKey(last));
        }
        Capacity c = new Capacity(source.table().name());
        double units = Capacity.readUnits(bytes, consistent, false);
        if (source.index() == null) {
            c.addTable(units);
        } else {
            c.addIndex(source.index(), units);
        }
        ItemOperations.consumed(out, c, capacityMode);
        return out;
    }

    /** The first key a forward query reads: the partition start, or the sort key's lower bound when it has one. */
    private static Key lowerBound(Value hash, RangeCondition range) {
        if (range != null) {
            switch (range.op()) {
                case EQ:
                case GE:
                case GT:
                case BETWEEN:
                case BEGINS_WITH:
                    return Key.of(hash, range.value());
                default:
                    break;
            }
        }
        return Key.of(hash);
    }

    private static Condition filter(Request r, Placeholders p) {
        String text = r.string("FilterExpression");
        return text == null ? null : Expressions.condition(text, p, "FilterExpression");
    }
}
