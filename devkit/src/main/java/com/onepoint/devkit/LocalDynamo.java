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
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DynamoDB Local embedded in this JVM (telemetry off), with every {@code AWS::DynamoDB::Table} of the template
 * created as declared: keys, indexes, streams, TTL. Resolves {@code !Ref}/{@code !GetAtt} of those tables.
 */
public final class LocalDynamo implements AutoCloseable, ResourceRefs {
    public static final String TABLE_TYPE = "AWS::DynamoDB::Table";
    /** Properties that only matter in AWS (backups, encryption, tags, capacity) and change nothing locally. */
    private static final Set<String> AWS_ONLY = Set.of("PointInTimeRecoverySpecification", "SSESpecification", "Tags",
            "DeletionProtectionEnabled", "ProvisionedThroughput", "TableClass", "ContributorInsightsSpecification");
    private static final Set<String> SUPPORTED = Set.of("TableName", "KeySchema", "AttributeDefinitions", "BillingMode",
            "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "StreamSpecification", "TimeToLiveSpecification");

    static {
        // DynamoDB Local logs through Log4j 2, whose configuration machinery costs about half a second of startup
        // and is never configured here; Log4j's simple context prints the same ERROR lines to stderr.
        if (System.getProperty("log4j2.loggerContextFactory") == null) {
            System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        }
    }

    private final AmazonDynamoDBLocal embedded;
    private final DynamoDbClient client;
    private final DynamoDbStreamsClient streams;
    private final Map<String, String> tableNames = new LinkedHashMap<>();
    private final Map<String, String> streamArns = new LinkedHashMap<>();

    private LocalDynamo() {
        this.embedded = DynamoDBEmbedded.create(true); // true: telemetry off
        this.client = embedded.dynamoDbClient();
        this.streams = embedded.dynamoDbStreamsClient();
    }

    /** Starts DynamoDB Local and creates every table of the template. */
    public static LocalDynamo start(SamTemplate template) {
        LocalDynamo local = new LocalDynamo();
        try {
            for (SamTemplate.Resource table : template.resourcesOfType(TABLE_TYPE)) {
                local.create(template, table);
            }
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
        return local;
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
        String streamArn = client.createTable(request.build()).tableDescription().latestStreamArn();
        tableNames.put(table.logicalId(), name);
        if (streamArn != null) {
            streamArns.put(table.logicalId(), streamArn);
        }
        Map<String, Object> ttl = SamTemplate.map(props.get("TimeToLiveSpecification"), table.where("TimeToLiveSpecification"));
        if (Boolean.parseBoolean(String.valueOf(ttl.get("Enabled")))) {
            client.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(TimeToLiveSpecification.builder()
                    .enabled(true).attributeName(String.valueOf(ttl.get("AttributeName"))).build()));
        }
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
        embedded.shutdownNow();
    }
}
