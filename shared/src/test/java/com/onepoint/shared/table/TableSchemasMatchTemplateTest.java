package com.onepoint.shared.table;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.IndexMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every table template.yaml declares is mapped by a schema in this module whose keys, key types and index keys are
 * the template's, so a table renamed, re-keyed or added on one side only fails here rather than at the first call.
 */
class TableSchemasMatchTemplateTest {
    private static final Path TEMPLATE = Path.of("template.yaml");

    /** The schemas of each table, by logical id; the dashboard holds two kinds of item with their own schemas. */
    private static final Map<String, List<TableSchema<?>>> SCHEMAS = Map.ofEntries(
            Map.entry("MerchantsTable", List.of(MerchantsTable.SCHEMA)),
            Map.entry("MembersTable", List.of(MembersTable.SCHEMA)),
            Map.entry("MemberPhonesTable", List.of(MemberPhonesTable.SCHEMA)),
            Map.entry("PointsTable", List.of(PointsTable.SCHEMA)),
            Map.entry("DealsTable", List.of(DealsTable.SCHEMA)),
            Map.entry("ReceiptsTable", List.of(ReceiptsTable.SCHEMA)),
            Map.entry("RefundsTable", List.of(RefundsTable.SCHEMA)),
            Map.entry("DashboardTable", List.of(DashboardTable.PROFILE_SCHEMA, DashboardTable.BALANCE_SCHEMA)),
            Map.entry("BillingTable", List.of(BillingTable.SCHEMA)),
            Map.entry("BillingAppliedChangesTable", List.of(BillingTable.AppliedChanges.SCHEMA)),
            Map.entry("LedgerTable", List.of(LedgerTable.SCHEMA)),
            Map.entry("AdjustmentsTable", List.of(AdjustmentsTable.SCHEMA)),
            Map.entry("MerchantDaysTable", List.of(MerchantDaysTable.SCHEMA)),
            Map.entry("MerchantDaysAppliedTable", List.of(MerchantDaysTable.Applied.SCHEMA)));
    /**
     * Written only under conditions by shared's idempotency store (claim, complete, release), never as a mapped item;
     * its key is checked below.
     */
    private static final Set<String> OWNED_BY_LIBRARIES = Set.of("IdempotencyTable");

    static List<String> schemaTables() {
        return List.copyOf(new TreeSet<>(SCHEMAS.keySet()));
    }

    @Test
    void everyTableOfTheTemplateHasASchema() {
        Set<String> declared = tables().keySet();
        Set<String> mapped = new TreeSet<>(SCHEMAS.keySet());
        mapped.addAll(OWNED_BY_LIBRARIES);
        assertEquals(new TreeSet<>(declared), mapped, "tables in template.yaml vs tables with a schema (or a library owner)");
    }

    @Test
    void theIdempotencyTableIsKeyedAndExpiredAsItsStoreWrites() {
        Map<String, Object> table = properties("IdempotencyTable");
        assertEquals(Map.of("HASH", com.onepoint.shared.idempotency.IdempotentRequests.RECORD_KEY), keySchema(table));
        assertEquals("S", attributeTypes(table).get(com.onepoint.shared.idempotency.IdempotentRequests.RECORD_KEY));
        @SuppressWarnings("unchecked")
        Map<String, Object> ttl = (Map<String, Object>) table.get("TimeToLiveSpecification");
        assertEquals(com.onepoint.shared.idempotency.IdempotentRequests.RECORD_EXPIRY, ttl.get("AttributeName"));
    }

    @ParameterizedTest
    @MethodSource("schemaTables")
    void keysAndKeyTypesAreTheTemplates(String logicalId) {
        Map<String, Object> table = properties(logicalId);
        Map<String, String> types = attributeTypes(table);
        for (TableSchema<?> schema : SCHEMAS.get(logicalId)) {
            TableMetadata metadata = schema.tableMetadata();
            Map<String, String> keys = keySchema(table);
            assertEquals(keys.get("HASH"), metadata.primaryPartitionKey(), logicalId + " partition key");
            assertEquals(Optional.ofNullable(keys.get("RANGE")), metadata.primarySortKey(), logicalId + " sort key");
            for (String key : metadata.allKeys()) {
                assertEquals(types.get(key), metadata.scalarAttributeType(key).map(Object::toString).orElse(null),
                        logicalId + " attribute type of key " + key);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("schemaTables")
    void indexKeysAreTheTemplates(String logicalId) {
        Map<String, Object> table = properties(logicalId);
        Map<String, Map<String, String>> declared = new TreeMap<>();
        for (Map<String, Object> index : list(table.get("GlobalSecondaryIndexes"))) {
            declared.put((String) index.get("IndexName"), keySchema(index));
        }
        for (TableSchema<?> schema : SCHEMAS.get(logicalId)) {
            Map<String, Map<String, String>> mapped = new TreeMap<>();
            for (IndexMetadata index : schema.tableMetadata().indices()) {
                if (index.name().equals(TableMetadata.primaryIndexName())) {
                    continue;
                }
                Map<String, String> keys = new TreeMap<>();
                index.partitionKey().ifPresent(k -> keys.put("HASH", k.name()));
                index.sortKey().ifPresent(k -> keys.put("RANGE", k.name()));
                mapped.put(index.name(), keys);
            }
            assertEquals(declared, mapped, logicalId + " global secondary indexes");
        }
    }

    @ParameterizedTest
    @MethodSource("schemaTables")
    void timeToLiveAttributeIsAnEpochSecondsNumber(String logicalId) {
        Map<String, Object> ttl = map(properties(logicalId).get("TimeToLiveSpecification"));
        if (ttl.isEmpty()) {
            return;
        }
        String attribute = (String) ttl.get("AttributeName");
        for (TableSchema<?> schema : SCHEMAS.get(logicalId)) {
            assertTrue(schema.attributeNames().contains(attribute), logicalId + " maps its TTL attribute " + attribute);
            assertEquals(AttributeValueType.N, schema.converterForAttribute(attribute).attributeValueType(),
                    "DynamoDB only expires items whose " + attribute + " is a number");
        }
    }

    private static Map<String, Object> properties(String logicalId) {
        return map(tables().get(logicalId).get("Properties"));
    }

    private static Map<String, String> keySchema(Map<String, Object> tableOrIndex) {
        return list(tableOrIndex.get("KeySchema")).stream().collect(Collectors.toMap(
                k -> (String) k.get("KeyType"), k -> (String) k.get("AttributeName"), (a, b) -> a, TreeMap::new));
    }

    private static Map<String, String> attributeTypes(Map<String, Object> table) {
        return list(table.get("AttributeDefinitions")).stream().collect(Collectors.toMap(
                d -> (String) d.get("AttributeName"), d -> (String) d.get("AttributeType")));
    }

    /** The template's AWS::DynamoDB::Table resources, by logical id. */
    private static Map<String, Map<String, Object>> tables() {
        Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
        map(load().get("Resources")).forEach((id, resource) -> {
            Map<String, Object> r = map(resource);
            if ("AWS::DynamoDB::Table".equals(r.get("Type"))) {
                tables.put(id, r);
            }
        });
        assertFalse(tables.isEmpty(), "template.yaml declares no table");
        return tables;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load() {
        try (Reader reader = Files.newBufferedReader(TEMPLATE, StandardCharsets.UTF_8)) {
            return (Map<String, Object>) new Yaml(new IntrinsicsAsPlainValues()).load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + TEMPLATE.toAbsolutePath(), e);
        }
    }

    /**
     * CloudFormation's short tags (!Ref, !Sub, ...) read as the value they tag: table keys are never intrinsics, and
     * devkit's full reader (CfnYaml) is not on shared's classpath, which devkit itself depends on.
     */
    private static final class IntrinsicsAsPlainValues extends SafeConstructor {
        IntrinsicsAsPlainValues() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    if (node instanceof ScalarNode scalar) {
                        return constructScalar(scalar);
                    }
                    if (node instanceof SequenceNode sequence) {
                        return constructSequence(sequence);
                    }
                    return constructMapping((MappingNode) node);
                }
            });
        }
    }
}
