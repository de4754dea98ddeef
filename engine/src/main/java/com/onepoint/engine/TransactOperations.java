package com.onepoint.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onepoint.engine.expr.Condition;
import com.onepoint.engine.expr.Expressions;
import com.onepoint.engine.expr.Placeholders;
import com.onepoint.engine.expr.Projection;
import com.onepoint.engine.expr.Update;
import com.onepoint.engine.store.Changes;
import com.onepoint.engine.store.ItemLocks;
import com.onepoint.engine.store.Key;
import com.onepoint.engine.value.ItemSize;
import com.onepoint.engine.value.Value;
import com.onepoint.engine.value.ValueJson;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TransactWriteItems and TransactGetItems. A write transaction locks its items in key order, checks every condition
 * against the items as they are, and then writes all of them under one apply, or none. A lock it cannot get in time
 * cancels it with TransactionConflict, as DynamoDB cancels a transaction that meets another on the same item.
 */
final class TransactOperations {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final long TRANSACTION_PATIENCE_MILLIS = 100;
    /** DynamoDB remembers a ClientRequestToken for 10 minutes; this engine also forgets beyond the last 100,000. */
    private static final long TOKEN_MILLIS = 10 * 60 * 1000;
    private static final int MAX_TOKENS = 100_000;
    private static final Set<String> CAPACITY = Set.of("NONE", "TOTAL", "INDEXES");
    private static final Set<String> ON_FAILURE = Set.of("NONE", "ALL_OLD");

    private final DynamoEngine engine;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<String> tokenOrder = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.locks.ReentrantLock trimming = new java.util.concurrent.locks.ReentrantLock();

    /** A remembered token: a digest of its request (not the request: 100,000 of those would fill the heap). */
    private record Token(byte[] requestDigest, long atMillis, JsonNode response) {
    }

    private enum Kind { PUT, UPDATE, DELETE, CHECK }

    private record Action(Kind kind, Table table, Key key, Map<String, Value> keyAttributes, Map<String, Value> item,
                          Update update, Condition condition, boolean oldOnFailure) {
    }

    TransactOperations(DynamoEngine engine) {
        this.engine = engine;
    }

    JsonNode write(Request r) {
        JsonNode list = transactItems(r);
        String capacityMode = r.oneOf("ReturnConsumedCapacity", "NONE", CAPACITY);
        String token = r.string("ClientRequestToken");
        byte[] fingerprint = null;
        if (token != null) {
            fingerprint = digest(r.body); // holds the token too, which a repeat has alike
            Token seen = tokens.get(token);
            if (seen != null && engine.now() - seen.atMillis() < TOKEN_MILLIS) {
                if (!MessageDigest.isEqual(seen.requestDigest(), fingerprint)) {
                    throw new DynamoException(DynamoException.IDEMPOTENT_PARAMETER_MISMATCH,
                            "Request with the same client request token was already used with different parameters");
                }
                return seen.response();
            }
        }
        List<Action> actions = new ArrayList<>();
        Set<ItemLocks.LockKey> seenKeys = new HashSet<>();
        for (JsonNode entry : list) {
            Action a = action(entry);
            if (!seenKeys.add(new ItemLocks.LockKey(a.table().name(), a.key()))) {
                throw DynamoException.validation("Transaction request cannot include multiple operations on one item");
            }
            actions.add(a);
        }
        Set<String> tableNames = new LinkedHashSet<>();
        actions.forEach(a -> tableNames.add(a.table().name()));
        String conflicted = engine.faults.before("TransactWriteItems", tableNames);
        if (conflicted != null) {
            throw cancelled(actions, a -> a.table().name().equals(conflicted) ? conflict() : none());
        }
        List<ItemLocks.LockKey> locks = engine.lockKeys(new ArrayList<>(seenKeys));
        if (!engine.locks.lockAll(locks, TRANSACTION_PATIENCE_MILLIS)) {
            throw cancelled(actions, a -> conflict());
        }
        List<Map<String, Value>> olds = new ArrayList<>();
        List<Map<String, Value>> news = new ArrayList<>();
        try {
            boolean failed = false;
            List<ObjectNode> reasons = new ArrayList<>();
            for (Action a : actions) {
                Map<String, Value> old = a.table().items.get(a.key());
                olds.add(old);
                if (a.condition() != null && !a.condition().test(old == null ? Map.of() : old)) {
                    failed = true;
                    ObjectNode reason = F.objectNode().put("Code", "ConditionalCheckFailed").put("Message", "The conditional request failed");
                    if (a.oldOnFailure() && old != null) {
                        reason.set("Item", ValueJson.json(old));
                    }
                    reasons.add(reason);
                    news.add(old);
                    continue;
                }
                try {
                    news.add(newItem(a, old));
                    reasons.add(none());
                } catch (DynamoException e) {
                    if (!e.type().equals(DynamoException.VALIDATION)) {
                        throw e;
                    }
                    // an update that fails on the item as it is cancels the transaction, as DynamoDB does
                    failed = true;
                    reasons.add(F.objectNode().put("Code", "ValidationError").put("Message", e.getMessage()));
                    news.add(old);
                }
            }
            if (failed) {
                throw cancelled(reasons);
            }
            long now = engine.now();
            Changes changes = new Changes();
            for (int i = 0; i < actions.size(); i++) {
                Action a = actions.get(i);
                if (a.kind() != Kind.CHECK) {
                    a.table().write(changes, a.key(), olds.get(i), news.get(i), now, false);
                }
            }
            engine.store.write(changes); // one log record: after a crash the transaction is there whole or not at all
        } finally {
            engine.locks.unlockAll(locks);
        }
        ObjectNode out = F.objectNode();
        if (!capacityMode.equals("NONE")) {
            Map<String, Capacity> byTable = new LinkedHashMap<>();
            for (int i = 0; i < actions.size(); i++) {
                Action a = actions.get(i);
                Capacity c = byTable.computeIfAbsent(a.table().name(), Capacity::new);
                if (a.kind() == Kind.CHECK) {
                    c.addTable(Capacity.readUnits(olds.get(i) == null ? 0 : ItemSize.of(olds.get(i)), true, true));
                } else {
                    c.addWrite(a.table(), a.key(), olds.get(i), news.get(i), true);
                }
            }
            ItemOperations.consumedList(out, new ArrayList<>(byTable.values()), capacityMode);
        }
        if (token != null && tokens.put(token, new Token(fingerprint, engine.now(), out)) == null) {
            tokenOrder.add(token);
            expireTokens();
        }
        if (engine.faults.crashAfterCommit("TransactWriteItems", tableNames)) {
            throw new DynamoException(DynamoException.INTERNAL, "Internal server error");
        }
        return out;
    }

    JsonNode get(Request r) {
        JsonNode list = transactItems(r);
        String capacityMode = r.oneOf("ReturnConsumedCapacity", "NONE", CAPACITY);
        record Read(Table table, Key key, Projection projection) {
        }
        List<Read> reads = new ArrayList<>();
        Set<ItemLocks.LockKey> keys = new HashSet<>();
        for (JsonNode entry : list) {
            Request g = new Request(entry).nested("Get");
            if (g == null) {
                throw DynamoException.validation("1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null");
            }
            g.checkExpressionParameters(ItemOperations.GET_EXPRESSIONS, List.of());
            Table t = engine.table(g.required("TableName"));
            Key key = t.schema().keyParameter(g.item("Key"));
            Placeholders p = g.placeholders();
            Projection projection = ItemOperations.projectionExpression(g, p);
            p.requireAllUsed();
            if (!keys.add(new ItemLocks.LockKey(t.name(), key))) {
                throw DynamoException.validation("Transaction request cannot include multiple operations on one item");
            }
            reads.add(new Read(t, key, projection));
        }
        List<ItemLocks.LockKey> locks = engine.lockKeys(new ArrayList<>(keys));
        // holding every lock at once makes the reads one consistent snapshot, serialised with the writes
        if (!engine.locks.lockAll(locks, TRANSACTION_PATIENCE_MILLIS)) {
            List<ObjectNode> reasons = new ArrayList<>();
            reads.forEach(x -> reasons.add(conflict()));
            throw cancelled(reasons);
        }
        ObjectNode out = F.objectNode();
        ArrayNode responses = out.putArray("Responses");
        Map<String, Capacity> byTable = new LinkedHashMap<>();
        try {
            for (Read read : reads) {
                Map<String, Value> item = read.table().items.get(read.key());
                ObjectNode response = responses.addObject();
                if (item != null) {
                    response.set("Item", ValueJson.json(read.projection() == null ? item : read.projection().apply(item)));
                }
                byTable.computeIfAbsent(read.table().name(), Capacity::new)
                        .addTable(Capacity.readUnits(item == null ? 0 : ItemSize.of(item), true, true));
            }
        } finally {
            engine.locks.unlockAll(locks);
        }
        ItemOperations.consumedList(out, new ArrayList<>(byTable.values()), capacityMode);
        return out;
    }

    /** TransactItems of either operation: 1 to 100 of them. */
    private static JsonNode transactItems(Request r) {
        JsonNode list = r.node("TransactItems");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw DynamoException.validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
        }
        if (list.size() > 100) {
            throw DynamoException.validation("1 validation error detected: Value '[...]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100");
        }
        return list;
    }

    private Action action(JsonNode entry) {
        Kind kind = null;
        Request body = null;
        for (Kind k : Kind.values()) {
            String member = k == Kind.CHECK ? "ConditionCheck" : k == Kind.PUT ? "Put" : k == Kind.UPDATE ? "Update" : "Delete";
            JsonNode n = entry.get(member);
            if (n != null && !n.isNull()) {
                if (kind != null) {
                    throw DynamoException.validation("TransactItems can only contain one of Check, Put, Update or Delete");
                }
                kind = k;
                body = new Request(n);
            }
        }
        if (kind == null) {
            throw DynamoException.validation("TransactItems can only contain one of Check, Put, Update or Delete");
        }
        body.checkExpressionParameters(kind == Kind.UPDATE ? ItemOperations.UPDATE_EXPRESSIONS
                : ItemOperations.CONDITION_EXPRESSIONS, List.of());
        Table t = engine.table(body.required("TableName"));
        Placeholders p = body.placeholders();
        boolean oldOnFailure = "ALL_OLD".equals(body.oneOf("ReturnValuesOnConditionCheckFailure", "NONE", ON_FAILURE));
        Update update = null;
        Map<String, Value> item = null;
        Map<String, Value> keyAttributes;
        Key key;
        if (kind == Kind.PUT) {
            item = body.item("Item");
            key = t.schema().keyOf(item);
            ItemOperations.checkItem(t, item, false);
            keyAttributes = t.schema().keyAttributes(item);
        } else {
            keyAttributes = body.item("Key");
            key = t.schema().keyParameter(keyAttributes);
        }
        if (kind == Kind.UPDATE) {
            update = Expressions.update(body.required("UpdateExpression"), p);
            ItemOperations.checkKeyNotUpdated(t, update);
        }
        String conditionText = body.string("ConditionExpression");
        if (kind == Kind.CHECK && conditionText == null) {
            throw DynamoException.validation("1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null");
        }
        Condition condition = conditionText == null ? null : Expressions.condition(conditionText, p, "ConditionExpression");
        p.requireAllUsed();
        return new Action(kind, t, key, keyAttributes, item, update, condition, oldOnFailure);
    }

    private static Map<String, Value> newItem(Action a, Map<String, Value> old) {
        switch (a.kind()) {
            case PUT:
                return a.item();
            case DELETE:
                return null;
            case UPDATE: {
                Map<String, Value> updated = a.update().apply(old != null ? old : a.keyAttributes());
                ItemOperations.checkItem(a.table(), updated, true);
                return updated;
            }
            default:
                return old;
        }
    }

    private static byte[] digest(JsonNode request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            DynamoEngine.JSON.writeValue(new DigestOutputStream(OutputStream.nullOutputStream(), sha), request);
            return sha.digest();
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot digest a request", e);
        }
    }

    /**
     * Forgets tokens from the oldest on: those past 10 minutes, and any beyond the newest 100,000. One thread at a
     * time; a writer that finds another trimming leaves it the work rather than wait.
     */
    private void expireTokens() {
        if (!trimming.tryLock()) {
            return;
        }
        try {
            trimTokens();
        } finally {
            trimming.unlock();
        }
    }

    private void trimTokens() {
        long now = engine.now();
        while (true) {
            String oldest = tokenOrder.peek();
            if (oldest == null) {
                return;
            }
            Token t = tokens.get(oldest);
            if (t != null && now - t.atMillis() < TOKEN_MILLIS && tokens.size() <= MAX_TOKENS) {
                return;
            }
            tokenOrder.poll();
            tokens.remove(oldest);
        }
    }

    private static ObjectNode none() {
        return F.objectNode().put("Code", "None");
    }

    private static ObjectNode conflict() {
        return F.objectNode().put("Code", "TransactionConflict").put("Message", "Transaction is ongoing for the item");
    }

    private static DynamoException cancelled(List<Action> actions, java.util.function.Function<Action, ObjectNode> reason) {
        List<ObjectNode> reasons = new ArrayList<>();
        actions.forEach(a -> reasons.add(reason.apply(a)));
        return cancelled(reasons);
    }

    private static DynamoException cancelled(List<ObjectNode> reasons) {
        ArrayNode a = F.arrayNode();
        List<String> codes = new ArrayList<>();
        for (ObjectNode r : reasons) {
            a.add(r);
            codes.add(r.get("Code").asText());
        }
        return new DynamoException(DynamoException.TRANSACTION_CANCELED,
                "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes,
                Map.of("CancellationReasons", a));
    }
}
