package com.onepoint.devkit;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import com.onepoint.engine.DynamoEngine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OnePoint's DynamoDB engine in this JVM, with every {@code AWS::DynamoDB::Table} of the template created as declared:
 * keys, indexes, streams, TTL. In memory, or durable in a data directory, where a restart finds the tables it made
 * before (and refuses to start if the template now declares one differently). Resolves {@code !Ref}/{@code !GetAtt}
 * of those tables.
 */
public final class LocalDynamo implements AutoCloseable, ResourceRefs {
    public static final String TABLE_TYPE = "AWS::DynamoDB::Table";
    /** Properties that only matter in AWS (backups, encryption, tags, capacity) and change nothing locally. */
    private static final Set<String> AWS_ONLY = Set.of("PointInTimeRecoverySpecification", "SSESpecification", "Tags",
            "DeletionProtectionEnabled", "ProvisionedThroughput", "TableClass", "ContributorInsightsSpecification");
    private static final Set<String> SUPPORTED = Set.of("TableName", "KeySchema", "AttributeDefinitions", "BillingMode",
            "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "StreamSpecification", "TimeToLiveSpecification");

    private final DynamoEngine engine;
    private final DynamoDbClient client;
    private final DynamoDbStreamsClient streams;
    private final Map<String, String> tableNames = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> streamArns = new java.util.concurrent.ConcurrentHashMap<>();

    private LocalDynamo(DynamoEngine engine, DynamoDbClient client, DynamoDbStreamsClient streams) {
        this.engine = engine;
        this.client = client;
        this.streams = streams;
    }

    /** An in-memory engine with every table of the template. */
    public static LocalDynamo start(SamTemplate template) {
        return start(template, (Path) null);
    }

    /** A durable engine in {@code dataDir} (null: in memory) with every table of the template. */
    public static LocalDynamo start(SamTemplate template, Path dataDir) {
        DynamoEngine.Options options = DynamoEngine.Options.inMemory().withDataDir(dataDir)
                .withRegion(SamTemplate.REGION).withAccountId(SamTemplate.ACCOUNT_ID);
        return start(template, DynamoEngine.start(options));
    }

    /** Creates the template's tables on {@code engine} (closed with this). */
    public static LocalDynamo start(SamTemplate template, DynamoEngine engine) {
        return create(template, new LocalDynamo(engine, engine.dynamoDbClient(), engine.streamsClient()));
    }

    /**
     * The template's tables on another DynamoDB behind {@code client} (LocalStack, a test account); no engine, so
     * {@link #engine()} is null. The clients are closed with this.
     */
    public static LocalDynamo on(SamTemplate template, DynamoDbClient client, DynamoDbStreamsClient streams) {
        return create(template, new LocalDynamo(null, client, streams));
    }

    /**
     * Creates the tables side by side: a durable engine answers each creation once it is fsynced, and creations
     * arriving together share one commit.
     */
    private static LocalDynamo create(SamTemplate template, LocalDynamo local) {
        List<SamTemplate.Resource> tables = template.resourcesOfType(TABLE_TYPE);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, tables.size()));
        try {
            List<java.util.concurrent.Future<?>> created = new ArrayList<>();
            for (SamTemplate.Resource table : tables) {
                created.add(pool.submit(() -> local.create(template, table)));
            }
            for (java.util.concurrent.Future<?> f : created) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            local.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            local.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating the tables", e);
        } catch (RuntimeException e) {
            local.close();
            throw e;
        } finally {
            pool.shutdown();
        }
        return local;
    }

    public DynamoEngine engine() {
        return engine;
    }

    /** Stream pollers' read positions, kept with the data so a restart resumes after the last processed record. */
    public Map<String, String> streamPositions() {
        return engine.durableMap("stream-positions");
    }

    public DynamoDbClient client() {
        return client;
    }

    public DynamoDbStreamsClient streams() {
        return streams;
    }

    /** Logical id → physical table name. */
    public Map<String, String> tableNames() {
        return Map.copyOf(tableNames);
    }

    public String streamArn(String logicalId) {
        return streamArns.get(logicalId);
    }

    @Override
    public String ref(String logicalId) {
        return tableNames.get(logicalId);
    }

    @Override
    public String getAtt(String logicalId, String attribute) {
        String name = tableNames.get(logicalId);
        if (name == null) {
            return null;
        }
        return switch (attribute) {
            case "Arn" -> "arn:aws:dynamodb:" + SamTemplate.REGION + ":" + SamTemplate.ACCOUNT_ID + ":table/" + name;
            case "StreamArn" -> streamArns.get(logicalId);
            default -> null;
        };
    }

    private void create(SamTemplate template, SamTemplate.Resource table) {
        Map<String, Object> props = template.resolveMap(table, this);
        for (String property : props.keySet()) {
            if (!SUPPORTED.contains(property) && !AWS_ONLY.contains(property)) {
                throw new UnsupportedTemplateException(table.where(property), "not supported by the local runtime");
            }
        }
        String name = props.containsKey("TableName") ? String.valueOf(props.get("TableName"))
                : template.stackName() + "-" + table.logicalId();
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(keySchema(props.get("KeySchema"), table.where("KeySchema")))
                .attributeDefinitions(attributes(props.get("AttributeDefinitions"), table.where("AttributeDefinitions")));
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        for (Object o : list(props.get("GlobalSecondaryIndexes"))) {
            Map<String, Object> gsi = SamTemplate.map(o, table.where("GlobalSecondaryIndexes"));
            gsis.add(GlobalSecondaryIndex.builder()
                    .indexName(String.valueOf(gsi.get("IndexName")))
                    .keySchema(keySchema(gsi.get("KeySchema"), table.where("GlobalSecondaryIndexes.KeySchema")))
                    .projection(projection(gsi.get("Projection"), table.where("GlobalSecondaryIndexes.Projection")))
                    .build());
        }
        if (!gsis.isEmpty()) {
            request.globalSecondaryIndexes(gsis);
        }
        List<LocalSecondaryIndex> lsis = new ArrayList<>();
        for (Object o : list(props.get("LocalSecondaryIndexes"))) {
            Map<String, Object> lsi = SamTemplate.map(o, table.where("LocalSecondaryIndexes"));
            lsis.add(LocalSecondaryIndex.builder()
                    .indexName(String.valueOf(lsi.get("IndexName")))
                    .keySchema(keySchema(lsi.get("KeySchema"), table.where("LocalSecondaryIndexes.KeySchema")))
                    .projection(projection(lsi.get("Projection"), table.where("LocalSecondaryIndexes.Projection")))
                    .build());
        }
        if (!lsis.isEmpty()) {
            request.localSecondaryIndexes(lsis);
        }
        Map<String, Object> stream = SamTemplate.map(props.get("StreamSpecification"), table.where("StreamSpecification"));
        if (!stream.isEmpty()) {
            request.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                    .streamViewType(StreamViewType.fromValue(String.valueOf(stream.get("StreamViewType")))).build());
        }
        CreateTableRequest create = request.build();
        String streamArn;
        boolean existed = false;
        try {
            streamArn = client.createTable(create).tableDescription().latestStreamArn();
        } catch (ResourceInUseException e) {
            // a durable engine restarted: the table is there with its data, if the template still declares it so
            TableDescription found = client.describeTable(b -> b.tableName(name)).table();
            requireSameShape(table, create, found);
            streamArn = found.latestStreamArn();
            existed = true;
        }
        tableNames.put(table.logicalId(), name);
        if (streamArn != null) {
            streamArns.put(table.logicalId(), streamArn);
        }
        Map<String, Object> ttl = SamTemplate.map(props.get("TimeToLiveSpecification"), table.where("TimeToLiveSpecification"));
        if (Boolean.parseBoolean(String.valueOf(ttl.get("Enabled")))
                && !(existed && client.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription().attributeName() != null)) {
            client.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(TimeToLiveSpecification.builder()
                    .enabled(true).attributeName(String.valueOf(ttl.get("AttributeName"))).build()));
        }
    }

    /** A table found in the data directory must have the keys, indexes and stream the template declares. */
    private static void requireSameShape(SamTemplate.Resource table, CreateTableRequest wanted, TableDescription found) {
        List<String> differences = new ArrayList<>();
        if (!wanted.keySchema().equals(found.keySchema())) {
            differences.add("KeySchema " + found.keySchema() + " on disk, " + wanted.keySchema() + " in the template");
        }
        if (!indexNames(wanted.globalSecondaryIndexes()).equals(indexNames(found.globalSecondaryIndexes()))) {
            differences.add("GlobalSecondaryIndexes differ");
        }
        if (!indexNames(wanted.localSecondaryIndexes()).equals(indexNames(found.localSecondaryIndexes()))) {
            differences.add("LocalSecondaryIndexes differ");
        }
        String wantedView = wanted.streamSpecification() == null ? null : wanted.streamSpecification().streamViewTypeAsString();
        String foundView = found.streamSpecification() == null ? null : found.streamSpecification().streamViewTypeAsString();
        if (!java.util.Objects.equals(wantedView, foundView)) {
            differences.add("StreamViewType " + foundView + " on disk, " + wantedView + " in the template");
        }
        if (!differences.isEmpty()) {
            throw new UnsupportedTemplateException(table.where("KeySchema"), "differs from the table in the data directory ("
                    + String.join("; ", differences) + "); move the data directory away or start with --in-memory");
        }
    }

    private static List<String> indexNames(List<?> indexes) {
        List<String> names = new ArrayList<>();
        for (Object i : indexes) {
            names.add(i instanceof GlobalSecondaryIndex g ? g.indexName() + g.keySchema()
                    : i instanceof software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription g ? g.indexName() + g.keySchema()
                    : i instanceof LocalSecondaryIndex l ? l.indexName() + l.keySchema()
                    : ((software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription) i).indexName()
                    + ((software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription) i).keySchema());
        }
        java.util.Collections.sort(names);
        return names;
    }

    private static List<KeySchemaElement> keySchema(Object value, String where) {
        List<KeySchemaElement> keys = new ArrayList<>();
        for (Object o : SamTemplate.list(value, where)) {
            Map<String, Object> k = SamTemplate.map(o, where);
            keys.add(KeySchemaElement.builder().attributeName(String.valueOf(k.get("AttributeName")))
                    .keyType(String.valueOf(k.get("KeyType"))).build());
        }
        return keys;
    }

    private static List<AttributeDefinition> attributes(Object value, String where) {
        List<AttributeDefinition> defs = new ArrayList<>();
        for (Object o : SamTemplate.list(value, where)) {
            Map<String, Object> a = SamTemplate.map(o, where);
            defs.add(AttributeDefinition.builder().attributeName(String.valueOf(a.get("AttributeName")))
                    .attributeType(String.valueOf(a.get("AttributeType"))).build());
        }
        return defs;
    }

    private static Projection projection(Object value, String where) {
        Map<String, Object> p = SamTemplate.map(value, where);
        Projection.Builder b = Projection.builder().projectionType(String.valueOf(p.getOrDefault("ProjectionType", "ALL")));
        if (p.containsKey("NonKeyAttributes")) {
            b.nonKeyAttributes(SamTemplate.list(p.get("NonKeyAttributes"), where).stream().map(String::valueOf).toList());
        }
        return b.build();
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }

    @Override
    public void close() {
        client.close();
        streams.close();
        if (engine != null) {
            engine.close();
        }
    }
}
