package com.onepoint.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onepoint.engine.expr.Condition;
import com.onepoint.engine.expr.Expressions;
import com.onepoint.engine.expr.Path;
import com.onepoint.engine.expr.Placeholders;
import com.onepoint.engine.expr.Projection;
import com.onepoint.engine.expr.Update;
import com.onepoint.engine.store.Changes;
import com.onepoint.engine.store.ItemLocks;
import com.onepoint.engine.store.Key;
import com.onepoint.engine.value.ItemSize;
import com.onepoint.engine.value.Value;
import com.onepoint.engine.value.ValueJson;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** PutItem, GetItem, UpdateItem, DeleteItem, BatchGetItem and BatchWriteItem. */
final class ItemOperations {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** How long a single-item write waits for an item a transaction holds before answering TransactionConflict. */
    static final long SINGLE_WRITE_PATIENCE_MILLIS = 500;
    private static final Set<String> PUT_RETURN_VALUES = Set.of("NONE", "ALL_OLD");
    private static final Set<String> UPDATE_RETURN_VALUES = Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
    private static final Set<String> CAPACITY = Set.of("NONE", "TOTAL", "INDEXES");
    private static final Set<String> ON_FAILURE = Set.of("NONE", "ALL_OLD");
    /** Each operation's expression and legacy members, for {@link Request#checkExpressionParameters}. */
    static final List<String> GET_EXPRESSIONS = List.of("ProjectionExpression");
    static final List<String> GET_LEGACY = List.of("AttributesToGet");
    static final List<String> CONDITION_EXPRESSIONS = List.of("ConditionExpression");
    private static final List<String> CONDITION_LEGACY = List.of("Expected");
    static final List<String> UPDATE_EXPRESSIONS = List.of("UpdateExpression", "ConditionExpression");
    private static final List<String> UPDATE_LEGACY = List.of("AttributeUpdates", "Expected");
    private static final int MAX_BATCH_WRITES = 25;

    private final DynamoEngine engine;

    ItemOperations(DynamoEngine engine) {
        this.engine = engine;
    }

    /** What a single-item write saw and left. */
    record Written(Map<String, Value> oldItem, Map<String, Value> newItem) {
    }

    JsonNode put(Request r) {
        r.checkExpressionParameters(CONDITION_EXPRESSIONS, CONDITION_LEGACY);
        Table t = engine.table(r.required("TableName"));
        Map<String, Value> item = r.item("Item");
        Key key = t.schema().keyOf(item);
        checkItem(t, item, false);
        return replace(r, t, "PutItem", key, item);
    }

    /** PutItem and DeleteItem: the item replaced by {@code item} (null deletes it) if the condition holds. */
    private JsonNode replace(Request r, Table t, String operation, Key key, Map<String, Value> item) {
        String returnValues = returnValues(r, PUT_RETURN_VALUES);
        String capacity = r.oneOf("ReturnConsumedCapacity", "NONE", CAPACITY);
        boolean oldOnFailure = "ALL_OLD".equals(r.oneOf("ReturnValuesOnConditionCheckFailure", "NONE", ON_FAILURE));
        Placeholders p = r.placeholders();
        Condition condition = condition(r, p);
        p.requireAllUsed();
        Written w = write(t, operation, key, old -> {
            check(condition, old, oldOnFailure);
            return item;
        });
        ObjectNode out = F.objectNode();
        if (returnValues.equals("ALL_OLD") && w.oldItem() != null) {
            out.set("Attributes", ValueJson.json(w.oldItem()));
        }
        consumed(out, writeCapacity(t, key, w, false), capacity);
        return out;
    }

    JsonNode get(Request r) {
        r.checkExpressionParameters(GET_EXPRESSIONS, GET_LEGACY);
        Table t = engine.table(r.required("TableName"));
        Key key = t.schema().keyParameter(r.item("Key"));
        boolean consistent = r.bool("ConsistentRead", false);
        String capacity = r.oneOf("ReturnConsumedCapacity", "NONE", CAPACITY);
        Placeholders p = r.placeholders();
        Projection projection = projection(r, p);
        p.requireAllUsed();
        engine.faults.before("GetItem", List.of(t.name()));
        Map<String, Value> item = t.items.get(key);
        ObjectNode out = F.objectNode();
        if (item != null) {
            out.set("Item", ValueJson.json(projection == null ? item : projection.apply(item)));
        }
        consumed(out, new Capacity(t.name()).addTable(Capacity.readUnits(item == null ? 0 : ItemSize.of(item), consistent, false)), capacity);
        return out;
    }

    JsonNode update(Request r) {
        r.checkExpressionParameters(UPDATE_EXPRESSIONS, UPDATE_LEGACY);
        Table t = engine.table(r.required("TableName"));
        Map<String, Value> keyAttributes = r.item("Key");
        Key key = t.schema().keyParameter(keyAttributes);
        String returnValues = returnValues(r, UPDATE_RETURN_VALUES);
        String capacity = r.oneOf("ReturnConsumedCapacity", "NONE", CAPACITY);
        boolean oldOnFailure = "ALL_OLD".equals(r.oneOf("ReturnValuesOnConditionCheckFailure", "NONE", ON_FAILURE));
        Placeholders p = r.placeholders();
        String text = r.string("UpdateExpression");
        Update update = text == null ? null : Expressions.update(text, p);
        Condition condition = condition(r, p);
        p.requireAllUsed();
        if (update != null) {
            checkKeyNotUpdated(t, update);
        }
        Written w = write(t, "UpdateItem", key, old -> {
            check(condition, old, oldOnFailure);
            Map<String, Value> base = old != null ? old : keyAttributes;
            Map<String, Value> updated = update == null ? base : update.apply(base);
            checkItem(t, updated, true);
            return updated;
        });
        ObjectNode out = F.objectNode();
        Map<String, Value> attributes = switch (returnValues) {
            case "ALL_OLD" -> w.oldItem();
            case "ALL_NEW" -> w.newItem();
            case "UPDATED_OLD" -> w.oldItem() == null || update == null ? null : Projection.of(update.paths()).apply(w.oldItem());
            case "UPDATED_NEW" -> update == null ? null : Projection.of(update.paths()).apply(w.newItem());
            default -> null;
        };
        if (attributes != null && !attributes.isEmpty()) {
            out.set("Attributes", ValueJson.json(attributes));
        }
        consumed(out, writeCapacity(t, key, w, false), capacity);
        return out;
    }

    JsonNode delete(Request r) {
        r.checkExpressionParameters(CONDITION_EXPRESSIONS, CONDITION_LEGACY);
        Table t = engine.table(r.required("TableName"));
        return replace(r, t, "DeleteItem", t.schema().keyParameter(r.item("Key")), null);
    }

    JsonNode batchGet(Request r) {
        JsonNode requestItems = r.node("RequestItems");
        if (requestItems == null || !requestItems.isObject() || requestItems.isEmpty()) {
            throw DynamoException.validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        String capacity = r.oneOf("ReturnConsumedCapacity", "NONE", CAPACITY);
        int total = 0;
        Map<Table, List<Map<String, Value>>> results = new LinkedHashMap<>();
        List<Capacity> capacities = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> tables = requestItems.fields();
        List<Object[]> plan = new ArrayList<>();
        while (tables.hasNext()) {
            Map.Entry<String, JsonNode> e = tables.next();
            Request tr = new Request(e.getValue());
            tr.checkExpressionParameters(GET_EXPRESSIONS, GET_LEGACY);
            Table t = engine.table(e.getKey());
            Placeholders p = tr.placeholders();
            Projection projection = projection(tr, p);
            p.requireAllUsed();
            boolean consistent = tr.bool("ConsistentRead", false);
            JsonNode keys = tr.node("Keys");
            if (keys == null || !keys.isArray() || keys.isEmpty()) {
                throw DynamoException.validation("1 validation error detected: Value null at 'requestItems." + t.name()
                        + ".member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1");
            }
            Set<Key> seen = new HashSet<>();
            for (JsonNode k : keys) {
                Key key = t.schema().keyParameter(ValueJson.item(k));
                if (!seen.add(key)) {
                    throw DynamoException.validation("Provided list of item keys contains duplicates");
                }
                total++;
            }
            plan.add(new Object[]{t, seen, projection, consistent});
        }
        if (total > 100) {
            throw DynamoException.validation("Too many items requested for the BatchGetItem call");
        }
        ObjectNode out = F.objectNode();
        ObjectNode responses = out.putObject("Responses");
        for (Object[] step : plan) {
            Table t = (Table) step[0];
            @SuppressWarnings("unchecked") Set<Key> keys = (Set<Key>) step[1];
            Projection projection = (Projection) step[2];
            boolean consistent = (Boolean) step[3];
            engine.faults.before("BatchGetItem", List.of(t.name()));
            ArrayNode items = responses.putArray(t.name());
            Capacity c = new Capacity(t.name());
            for (Key key : keys) {
                Map<String, Value> item = t.items.get(key);
                c.addTable(Capacity.readUnits(item == null ? 0 : ItemSize.of(item), consistent, false));
                if (item != null) {
                    items.add(ValueJson.json(projection == null ? item : projection.apply(item)));
                }
            }
            capacities.add(c);
        }
        out.putObject("UnprocessedKeys");
        consumedList(out, capacities, capacity);
        return out;
    }

    JsonNode batchWrite(Request r) {
        JsonNode requestItems = r.node("RequestItems");
        if (requestItems == null || !requestItems.isObject() || requestItems.isEmpty()) {
            throw DynamoException.validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        String capacity = r.oneOf("ReturnConsumedCapacity", "NONE", CAPACITY);
        record Step(Table t, Key key, Map<String, Value> item) {
        }
        List<Step> steps = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> tables = requestItems.fields();
        while (tables.hasNext()) {
            Map.Entry<String, JsonNode> e = tables.next();
            if (!e.getValue().isArray()) {
                throw new DynamoException(DynamoException.SERIALIZATION, "Unexpected value type in payload for RequestItems");
            }
            if (e.getValue().isEmpty() || e.getValue().size() > MAX_BATCH_WRITES) {
                throw DynamoException.validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
            }
            Table t = engine.table(e.getKey());
            Set<Key> seen = new HashSet<>();
            for (JsonNode w : e.getValue()) {
                JsonNode put = w.get("PutRequest");
                JsonNode del = w.get("DeleteRequest");
                if ((put == null) == (del == null)) {
                    throw DynamoException.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
                }
                Step step;
                if (put != null) {
                    Map<String, Value> item = ValueJson.item(put.get("Item"));
                    Key key = t.schema().keyOf(item);
                    checkItem(t, item, false);
                    step = new Step(t, key, item);
                } else {
                    step = new Step(t, t.schema().keyParameter(ValueJson.item(del.get("Key"))), null);
                }
                if (!seen.add(step.key())) {
                    throw DynamoException.validation("Provided list of item keys contains duplicates");
                }
                steps.add(step);
            }
        }
        if (steps.size() > MAX_BATCH_WRITES) {
            throw DynamoException.validation("Too many items requested for the BatchWriteItem call");
        }
        Map<String, Capacity> capacities = new LinkedHashMap<>();
        for (Step s : steps) {
            Written w = write(s.t(), "BatchWriteItem", s.key(), old -> s.item());
            // each request costs its own units, a delete of a missing item too (1, as for DeleteItem)
            capacities.computeIfAbsent(s.t().name(), Capacity::new)
                    .addWrite(s.t(), s.key(), w.oldItem(), w.newItem(), false);
        }
        ObjectNode out = F.objectNode();
        out.putObject("UnprocessedItems");
        consumedList(out, new ArrayList<>(capacities.values()), capacity);
        return out;
    }

    /**
     * The one path of every single-item write: fault injection, the item's lock, the change computed from the item as
     * it is now (conditions throw here, before anything is written), the write, and the wait for durability.
     */
    Written write(Table t, String operation, Key key, UnaryOperator<Map<String, Value>> change) {
        List<String> tables = List.of(t.name());
        if (engine.faults.before(operation, tables) != null) {
            throw new DynamoException(DynamoException.TRANSACTION_CONFLICT, "Transaction is ongoing for the item");
        }
        ItemLocks.LockKey lock = new ItemLocks.LockKey(t.name(), key);
        if (!engine.locks.lock(lock, SINGLE_WRITE_PATIENCE_MILLIS)) {
            throw new DynamoException(DynamoException.TRANSACTION_CONFLICT, "Transaction is ongoing for the item");
        }
        Map<String, Value> old;
        Map<String, Value> updated;
        try {
            old = t.items.get(key);
            updated = change.apply(old);
            Changes changes = new Changes();
            t.write(changes, key, old, updated, engine.now(), false);
            engine.store.write(changes);
        } finally {
            engine.locks.unlock(lock);
        }
        if (engine.faults.crashAfterCommit(operation, tables)) {
            throw new DynamoException(DynamoException.INTERNAL, "Internal server error");
        }
        return new Written(old, updated);
    }

    static void check(Condition condition, Map<String, Value> old, boolean oldOnFailure) {
        if (condition != null && !condition.test(old == null ? Map.of() : old)) {
            Map<String, Object> extra = oldOnFailure && old != null ? Map.of("Item", ValueJson.json(old)) : Map.of();
            throw new DynamoException(DynamoException.CONDITIONAL_CHECK_FAILED, "The conditional request failed", extra);
        }
    }

    static Condition condition(Request r, Placeholders p) {
        String text = r.string("ConditionExpression");
        return text == null ? null : Expressions.condition(text, p, "ConditionExpression");
    }

    /** The request's ProjectionExpression, or null. */
    static Projection projectionExpression(Request r, Placeholders p) {
        String text = r.string("ProjectionExpression");
        return text == null ? null : Expressions.projection(text, p);
    }

    /**
     * ProjectionExpression, or the legacy AttributesToGet (top-level names only); null for neither. The caller has
     * checked they are not both given ({@link Request#checkExpressionParameters}).
     */
    static Projection projection(Request r, Placeholders p) {
        JsonNode names = r.node("AttributesToGet");
        if (names == null) {
            return projectionExpression(r, p);
        }
        if (!names.isArray()) {
            throw new DynamoException(DynamoException.SERIALIZATION, "Unexpected value type in payload for AttributesToGet");
        }
        if (names.isEmpty()) {
            throw DynamoException.validation("1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        List<Path> paths = new ArrayList<>(names.size());
        Set<String> seen = new HashSet<>();
        for (JsonNode n : names) {
            if (!n.isTextual()) {
                throw new DynamoException(DynamoException.SERIALIZATION, "Unexpected value type in payload for AttributesToGet");
            }
            if (!seen.add(n.textValue())) {
                throw DynamoException.validation("One or more parameter values were invalid: Duplicate value in attribute name: " + n.textValue());
            }
            paths.add(Path.of(n.textValue()));
        }
        return Projection.of(paths);
    }

    /** An item about to be written: within 400 KB (worded as DynamoDB words it for an update) and its index key types. */
    static void checkItem(Table t, Map<String, Value> item, boolean byUpdate) {
        if (ItemSize.of(item) > ItemSize.MAX_ITEM_BYTES) {
            throw DynamoException.validation(byUpdate ? "Item size to update has exceeded the maximum allowed size"
                    : "Item size has exceeded the maximum allowed size");
        }
        t.checkIndexKeyTypes(item);
    }

    static void checkKeyNotUpdated(Table t, Update update) {
        for (Path path : update.paths()) {
            if (t.schema().isKeyAttribute(path.topName())) {
                throw DynamoException.validation("One or more parameter values were invalid: Cannot update attribute "
                        + path.topName() + ". This attribute is part of the key");
            }
        }
    }

    private static String returnValues(Request r, Set<String> allowed) {
        String v = r.string("ReturnValues");
        if (v == null) {
            return "NONE";
        }
        if (!allowed.contains(v)) {
            throw DynamoException.validation("Return values set to invalid value");
        }
        return v;
    }

    static Capacity writeCapacity(Table t, Key key, Written w, boolean transactional) {
        return new Capacity(t.name()).addWrite(t, key, w.oldItem(), w.newItem(), transactional);
    }

    static void consumed(ObjectNode out, Capacity c, String mode) {
        ObjectNode json = c.json(mode);
        if (json != null) {
            out.set("ConsumedCapacity", json);
        }
    }

    static void consumedList(ObjectNode out, List<Capacity> capacities, String mode) {
        if (mode == null || mode.equals("NONE")) {
            return;
        }
        ArrayNode a = out.putArray("ConsumedCapacity");
        capacities.forEach(c -> a.add(c.json(mode)));
    }
}
