package com.onepoint.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onepoint.engine.TableSchema.IndexSchema;
import com.onepoint.engine.TableSchema.KeyAttr;
import com.onepoint.engine.TableSchema.StreamSpec;
import com.onepoint.engine.TableSchema.Throughput;
import com.onepoint.engine.store.Changes;
import com.onepoint.engine.store.Key;
import com.onepoint.engine.stream.TableStream;
import com.onepoint.engine.value.ItemSize;
import com.onepoint.engine.value.Type;
import com.onepoint.engine.value.Value;
import org.h2.mvstore.MVMap;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** CreateTable, DescribeTable, ListTables, DeleteTable and the TTL settings. */
final class TableOperations {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final long ON_DEMAND_WARM_READS = 12_000;
    private static final long ON_DEMAND_WARM_WRITES = 4_000;
    private static final Set<String> VIEW_TYPES = Set.of("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY");

    private final DynamoEngine engine;

    TableOperations(DynamoEngine engine) {
        this.engine = engine;
    }

    /** Brings back every table of a durable store after a restart. */
    void reopenAll() {
        for (String json : engine.tableMeta.values()) {
            TableSchema schema = fromJson(json);
            engine.tables.put(schema.name(), open(schema));
        }
    }

    JsonNode create(Request r) {
        String name = r.required("TableName");
        checkName(name, "tableName");
        Map<String, Type> definitions = new LinkedHashMap<>();
        List<KeyAttr> definitionList = new ArrayList<>();
        JsonNode defs = r.node("AttributeDefinitions");
        if (defs == null || !defs.isArray() || defs.isEmpty()) {
            throw DynamoException.validation("1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null");
        }
        for (JsonNode d : defs) {
            String attr = d.path("AttributeName").asText();
            String type = d.path("AttributeType").asText();
            if (!type.equals("S") && !type.equals("N") && !type.equals("B")) {
                throw DynamoException.validation("1 validation error detected: Value '" + type
                        + "' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
            }
            if (definitions.put(attr, Type.valueOf(type)) != null) {
                throw DynamoException.validation("Cannot have two attributes with the same name. Attribute name: " + attr);
            }
            definitionList.add(new KeyAttr(attr, Type.valueOf(type)));
        }
        Set<String> used = new LinkedHashSet<>();
        KeyAttr[] keys = keySchema(r.node("KeySchema"), definitions, used, "Table");
        String billing = r.oneOf("BillingMode", "PROVISIONED", Set.of("PROVISIONED", "PAY_PER_REQUEST"));
        boolean onDemand = billing.equals("PAY_PER_REQUEST");
        JsonNode tableThroughput = r.node("ProvisionedThroughput");
        if (!onDemand && tableThroughput == null) {
            throw DynamoException.validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        }
        if (onDemand && tableThroughput != null) {
            throw DynamoException.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        }
        Throughput throughput = onDemand ? Throughput.ON_DEMAND : throughput(tableThroughput, "provisionedThroughput");
        long now = engine.now();
        List<IndexSchema> indexes = new ArrayList<>();
        Set<String> indexNames = new LinkedHashSet<>();
        for (boolean global : new boolean[]{false, true}) {
            JsonNode list = r.node(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
            if (list == null) {
                continue;
            }
            if (list.isEmpty()) {
                throw DynamoException.validation("One or more parameter values were invalid: List of "
                        + (global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes") + " is empty");
            }
            int position = 0;
            for (JsonNode i : list) {
                position++;
                String indexName = i.path("IndexName").asText(null);
                if (indexName == null) {
                    throw DynamoException.validation("1 validation error detected: Value null at 'indexName' failed to satisfy constraint: Member must not be null");
                }
                checkName(indexName, "indexName");
                if (!indexNames.add(indexName)) {
                    throw DynamoException.validation("One or more parameter values were invalid: Duplicate index name: " + indexName);
                }
                KeyAttr[] ik = keySchema(i.get("KeySchema"), definitions, used, "Index");
                if (!global) {
                    if (keys[1] == null) {
                        throw DynamoException.validation("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
                    }
                    if (!ik[0].name().equals(keys[0].name()) || ik[1] == null) {
                        throw DynamoException.validation("One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                                + indexName + ". index hash key: " + ik[0].name() + ", table hash key: " + keys[0].name());
                    }
                }
                JsonNode projection = i.get("Projection");
                String type = projection == null ? null : projection.path("ProjectionType").asText(null);
                if (type == null) {
                    throw DynamoException.validation("One or more parameter values were invalid: Unknown ProjectionType: null");
                }
                if (!Set.of("ALL", "KEYS_ONLY", "INCLUDE").contains(type)) {
                    throw DynamoException.validation("1 validation error detected: Value '" + type
                            + "' at 'projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]");
                }
                List<String> nonKey = new ArrayList<>();
                if (projection.has("NonKeyAttributes")) {
                    if (!type.equals("INCLUDE")) {
                        throw DynamoException.validation("One or more parameter values were invalid: ProjectionType is " + type
                                + ", but NonKeyAttributes is specified");
                    }
                    projection.get("NonKeyAttributes").forEach(n -> nonKey.add(n.asText()));
                } else if (type.equals("INCLUDE")) {
                    throw DynamoException.validation("One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
                }
                Throughput indexThroughput = null;
                if (global) {
                    JsonNode given = i.get("ProvisionedThroughput");
                    if (!onDemand && given == null) {
                        throw DynamoException.validation("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: " + indexName);
                    }
                    if (onDemand && given != null) {
                        throw DynamoException.validation("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: "
                                + indexName + " when BillingMode is PAY_PER_REQUEST");
                    }
                    indexThroughput = onDemand ? Throughput.ON_DEMAND
                            : throughput(given, "globalSecondaryIndexes." + position + ".member.provisionedThroughput");
                }
                indexes.add(new IndexSchema(indexName, global, ik[0], ik[1], type, List.copyOf(nonKey), now, indexThroughput));
            }
        }
        if (!used.equals(definitions.keySet())) {
            throw DynamoException.validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
        StreamSpec stream = null;
        Request spec = r.nested("StreamSpecification");
        if (spec != null && spec.bool("StreamEnabled", false)) {
            String view = spec.string("StreamViewType");
            if (view == null) {
                throw DynamoException.validation("One or more parameter values were invalid: StreamSpecification must specify StreamViewType when StreamEnabled is true");
            }
            if (!VIEW_TYPES.contains(view)) {
                throw DynamoException.validation("1 validation error detected: Value '" + view
                        + "' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]");
            }
            stream = new StreamSpec(true, view, LABEL.format(Instant.ofEpochMilli(now)));
        }
        TableSchema schema = new TableSchema(name, UUID.randomUUID().toString(), now, keys[0], keys[1],
                List.copyOf(definitionList), List.copyOf(indexes), stream, null, billing, throughput);
        Table[] created = new Table[1];
        engine.store.exclusively(() -> {
            if (engine.tables.containsKey(name)) {
                throw new DynamoException(DynamoException.RESOURCE_IN_USE, "Table already exists: " + name);
            }
            Changes changes = new Changes();
            changes.put(engine.tableMeta, name, toJson(schema));
            engine.store.write(changes);
            created[0] = open(schema);
            engine.tables.put(name, created[0]);
        });
        ObjectNode out = F.objectNode();
        out.set("TableDescription", description(created[0], "ACTIVE"));
        return out;
    }

    JsonNode describe(Request r) {
        String name = r.required("TableName");
        Table t = engine.tables.get(name);
        if (t == null) {
            checkName(name, "tableName");
            throw DynamoException.notFound("Requested resource not found: Table: " + name + " not found");
        }
        ObjectNode out = F.objectNode();
        out.set("Table", description(t, "ACTIVE"));
        return out;
    }

    JsonNode list(Request r) {
        Integer limit = r.integer("Limit");
        if (limit != null && (limit < 1 || limit > 100)) {
            throw DynamoException.validation("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
        }
        String start = r.string("ExclusiveStartTableName");
        List<String> names = new ArrayList<>(new TreeSet<>(engine.tables.keySet()));
        ObjectNode out = F.objectNode();
        ArrayNode a = out.putArray("TableNames");
        int max = limit == null ? 100 : limit;
        String last = null;
        for (String n : names) {
            if (start != null && n.compareTo(start) <= 0) {
                continue;
            }
            if (a.size() == max) {
                out.put("LastEvaluatedTableName", last);
                break;
            }
            a.add(n);
            last = n;
        }
        return out;
    }

    JsonNode delete(Request r) {
        Table t = engine.table(r.required("TableName"));
        engine.store.exclusively(() -> {
            engine.tables.remove(t.name());
            Changes changes = new Changes();
            changes.remove(engine.tableMeta, t.name());
            changes.dropMap(itemsMap(t.schema()));
            for (IndexSchema i : t.schema().indexes()) {
                changes.dropMap(indexMap(t.schema(), i));
            }
            if (t.schema().stream() != null) {
                changes.dropMap(streamMap(t.schema()));
            }
            engine.store.write(changes);
        });
        ObjectNode out = F.objectNode();
        out.set("TableDescription", description(t, "DELETING"));
        return out;
    }

    JsonNode updateTimeToLive(Request r) {
        Table t = engine.table(r.required("TableName"));
        Request spec = r.nested("TimeToLiveSpecification");
        if (spec == null) {
            throw DynamoException.validation("1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null");
        }
        boolean enabled = spec.bool("Enabled", false);
        String attribute = spec.required("AttributeName");
        String current = t.schema().ttlAttribute();
        if (enabled && current != null) {
            throw DynamoException.validation("TimeToLive is already enabled");
        }
        if (!enabled && current == null) {
            throw DynamoException.validation("TimeToLive is already disabled");
        }
        if (!enabled && !attribute.equals(current)) {
            throw DynamoException.validation("TimeToLive is active on a different AttributeName: current AttributeName is " + current);
        }
        TableSchema updated = t.schema().withTtl(enabled ? attribute : null);
        Changes changes = new Changes();
        changes.put(engine.tableMeta, t.name(), toJson(updated));
        engine.store.write(changes);
        t.schema(updated);
        ObjectNode out = F.objectNode();
        out.putObject("TimeToLiveSpecification").put("Enabled", enabled).put("AttributeName", attribute);
        return out;
    }

    JsonNode describeTimeToLive(Request r) {
        Table t = engine.table(r.required("TableName"));
        ObjectNode out = F.objectNode();
        ObjectNode d = out.putObject("TimeToLiveDescription");
        String attribute = t.schema().ttlAttribute();
        d.put("TimeToLiveStatus", attribute == null ? "DISABLED" : "ENABLED");
        if (attribute != null) {
            d.put("AttributeName", attribute);
        }
        return out;
    }

    JsonNode describeLimits() {
        ObjectNode out = F.objectNode();
        out.put("AccountMaxReadCapacityUnits", 80000).put("AccountMaxWriteCapacityUnits", 80000)
                .put("TableMaxReadCapacityUnits", 40000).put("TableMaxWriteCapacityUnits", 40000);
        return out;
    }

    JsonNode describeEndpoints() {
        ObjectNode out = F.objectNode();
        out.putArray("Endpoints").addObject().put("Address", "dynamodb." + engine.options.region() + ".amazonaws.com")
                .put("CachePeriodInMinutes", 1440);
        return out;
    }

    ObjectNode description(Table t, String status) {
        TableSchema s = t.schema();
        ObjectNode d = F.objectNode();
        ArrayNode defs = d.putArray("AttributeDefinitions");
        for (KeyAttr a : s.attributeDefinitions()) {
            defs.addObject().put("AttributeName", a.name()).put("AttributeType", a.type().name());
        }
        d.put("TableName", s.name());
        d.set("KeySchema", keySchemaJson(s.hash(), s.range()));
        d.put("TableStatus", status);
        d.put("CreationDateTime", s.createdMillis() / 1000.0);
        d.set("ProvisionedThroughput", throughputJson(s.throughput()));
        boolean onDemand = s.billingMode().equals("PAY_PER_REQUEST");
        d.set("WarmThroughput", warmThroughputJson(s.throughput(), onDemand));
        long[] sizeAndCount = sizeAndCount(t.items);
        d.put("TableSizeBytes", sizeAndCount[0]);
        d.put("ItemCount", sizeAndCount[1]);
        d.put("TableArn", engine.tableArn(s.name()));
        d.put("TableId", s.tableId());
        if (onDemand) {
            d.putObject("BillingModeSummary").put("BillingMode", "PAY_PER_REQUEST")
                    .put("LastUpdateToPayPerRequestDateTime", s.createdMillis() / 1000.0);
        }
        for (boolean global : new boolean[]{false, true}) {
            ArrayNode list = null;
            for (IndexSchema i : s.indexes()) {
                if (i.global() != global) {
                    continue;
                }
                if (list == null) {
                    list = d.putArray(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
                }
                ObjectNode o = list.addObject();
                o.put("IndexName", i.name());
                o.set("KeySchema", keySchemaJson(i.hash(), i.range()));
                ObjectNode p = o.putObject("Projection").put("ProjectionType", i.projectionType());
                if (!i.nonKeyAttributes().isEmpty()) {
                    ArrayNode nk = p.putArray("NonKeyAttributes");
                    i.nonKeyAttributes().forEach(nk::add);
                }
                if (global) {
                    o.put("IndexStatus", "ACTIVE");
                    o.set("ProvisionedThroughput", throughputJson(i.throughput()));
                    o.set("WarmThroughput", warmThroughputJson(i.throughput(), onDemand));
                }
                long[] sc = sizeAndCount(t.indexes.get(i.name()));
                o.put("IndexSizeBytes", sc[0]);
                o.put("ItemCount", sc[1]);
                o.put("IndexArn", engine.tableArn(s.name()) + "/index/" + i.name());
            }
        }
        if (s.stream() != null) {
            d.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", s.stream().viewType());
            d.put("LatestStreamLabel", s.stream().label());
            d.put("LatestStreamArn", t.stream.arn());
        }
        d.put("DeletionProtectionEnabled", false);
        return d;
    }

    private static ObjectNode throughputJson(Throughput t) {
        return F.objectNode().put("NumberOfDecreasesToday", 0).put("ReadCapacityUnits", t.read())
                .put("WriteCapacityUnits", t.write());
    }

    /**
     * What a new table or GSI can serve at once: on demand DynamoDB's starting 12,000 reads and 4,000 writes a
     * second; provisioned, the units it was given (nothing here ever raises it).
     */
    private static ObjectNode warmThroughputJson(Throughput t, boolean onDemand) {
        return F.objectNode().put("ReadUnitsPerSecond", onDemand ? ON_DEMAND_WARM_READS : t.read())
                .put("WriteUnitsPerSecond", onDemand ? ON_DEMAND_WARM_WRITES : t.write()).put("Status", "ACTIVE");
    }

    /** A ProvisionedThroughput member (at {@code member}, for messages): both units, each at least 1. */
    private static Throughput throughput(JsonNode node, String member) {
        return new Throughput(capacityUnits(node, "ReadCapacityUnits", member),
                capacityUnits(node, "WriteCapacityUnits", member));
    }

    private static long capacityUnits(JsonNode throughput, String field, String member) {
        JsonNode n = throughput.get(field);
        String at = member + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1);
        if (n == null || n.isNull()) {
            throw DynamoException.validation("1 validation error detected: Value null at '" + at + "' failed to satisfy constraint: Member must not be null");
        }
        if (!n.canConvertToLong()) {
            throw new DynamoException(DynamoException.SERIALIZATION, "Unexpected value type in payload for " + field);
        }
        if (n.longValue() < 1) {
            throw DynamoException.validation("1 validation error detected: Value '" + n.longValue() + "' at '" + at
                    + "' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        return n.longValue();
    }

    /**
     * ItemCount exactly (MVStore keeps it), TableSizeBytes from the mean size of the first 1,000 items: DynamoDB
     * itself only refreshes both about every six hours, and reading every item made DescribeTable, which the local
     * runtime calls on each table at startup, cost seconds on a large data directory.
     */
    private static long[] sizeAndCount(MVMap<Key, Map<String, Value>> map) {
        long count = map.sizeAsLong();
        long sampled = 0;
        long sampledBytes = 0;
        for (Map<String, Value> item : map.values()) {
            sampledBytes += ItemSize.of(item);
            if (++sampled == 1000) {
                break;
            }
        }
        return new long[]{sampled == 0 ? 0 : sampledBytes * count / sampled, count};
    }

    static ArrayNode keySchemaJson(KeyAttr hash, KeyAttr range) {
        ArrayNode a = F.arrayNode();
        a.addObject().put("AttributeName", hash.name()).put("KeyType", "HASH");
        if (range != null) {
            a.addObject().put("AttributeName", range.name()).put("KeyType", "RANGE");
        }
        return a;
    }

    private static KeyAttr[] keySchema(JsonNode node, Map<String, Type> definitions, Set<String> used, String what) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw DynamoException.validation("1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null");
        }
        if (node.size() > 2) {
            throw DynamoException.validation("1 validation error detected: Value '" + node
                    + "' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2");
        }
        KeyAttr hash = null;
        KeyAttr range = null;
        for (JsonNode k : node) {
            String name = k.path("AttributeName").asText();
            String type = k.path("KeyType").asText();
            Type t = definitions.get(name);
            if (t == null) {
                throw DynamoException.validation("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                        + name + "], AttributeDefinitions: " + definitions.keySet().toString().replace(" ", " "));
            }
            used.add(name);
            if (type.equals("HASH")) {
                if (hash != null) {
                    throw DynamoException.validation("Invalid KeySchema: Too many hash keys");
                }
                hash = new KeyAttr(name, t);
            } else if (type.equals("RANGE")) {
                if (range != null) {
                    throw DynamoException.validation("Invalid KeySchema: Too many range keys");
                }
                range = new KeyAttr(name, t);
            } else {
                throw DynamoException.validation("1 validation error detected: Value '" + type
                        + "' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]");
            }
        }
        if (hash == null || !node.get(0).path("KeyType").asText().equals("HASH")) {
            throw DynamoException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (range != null && range.name().equals(hash.name())) {
            throw DynamoException.validation("Invalid KeySchema: Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        return new KeyAttr[]{hash, range};
    }

    /**
     * A table or index name within DynamoDB's constraints (3 to 255 of [a-zA-Z0-9_.-]), each one broken reported as
     * DynamoDB lists them. A loop, not a regex: every lookup of a missing table comes here.
     */
    static void checkName(String name, String member) {
        boolean charactersOk = true;
        for (int i = 0; i < name.length() && charactersOk; i++) {
            char c = name.charAt(i);
            charactersOk = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
        }
        List<String> broken = new ArrayList<>(3);
        if (!charactersOk || name.isEmpty()) {
            broken.add("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        if (name.length() < 3) {
            broken.add("Member must have length greater than or equal to 3");
        }
        if (name.length() > 255) {
            broken.add("Member must have length less than or equal to 255");
        }
        if (broken.isEmpty()) {
            return;
        }
        StringBuilder m = new StringBuilder().append(broken.size())
                .append(broken.size() == 1 ? " validation error detected: " : " validation errors detected: ");
        for (int i = 0; i < broken.size(); i++) {
            m.append(i == 0 ? "" : "; ").append("Value '").append(name).append("' at '").append(member)
                    .append("' failed to satisfy constraint: ").append(broken.get(i));
        }
        throw DynamoException.validation(m.toString());
    }

    private Table open(TableSchema schema) {
        Map<String, MVMap<Key, Map<String, Value>>> indexes = new LinkedHashMap<>();
        for (IndexSchema i : schema.indexes()) {
            indexes.put(i.name(), engine.store.items(indexMap(schema, i)));
        }
        TableStream stream = null;
        if (schema.stream() != null) {
            String arn = engine.tableArn(schema.name()) + "/stream/" + schema.stream().label();
            String shardId = String.format("shardId-%020d-%s", schema.createdMillis(), schema.tableId().substring(0, 8));
            stream = new TableStream(arn, schema.stream().label(), schema.stream().viewType(), shardId,
                    engine.store.records(streamMap(schema)));
        }
        return new Table(schema, engine.store.items(itemsMap(schema)), indexes, stream);
    }

    // map names carry the table id, so a table deleted and created again never sees the old data
    private static String itemsMap(TableSchema s) {
        return "t." + s.tableId();
    }

    private static String indexMap(TableSchema s, IndexSchema i) {
        return "i." + s.tableId() + "." + i.name();
    }

    private static String streamMap(TableSchema s) {
        return "s." + s.tableId();
    }

    private static String toJson(TableSchema schema) {
        try {
            return DynamoEngine.JSON.writeValueAsString(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TableSchema fromJson(String json) {
        try {
            return DynamoEngine.JSON.readValue(json, TableSchema.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable table metadata: " + json, e);
        }
    }
}
