package com.onepoint.engine;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The meter bills as on-demand DynamoDB does, and a caller that did not ask still sees no ConsumedCapacity. */
class CapacityMeterTest {
    @Test
    void talliesReadAndWriteUnitsPerTable() {
        try (DynamoEngine engine = DynamoEngine.inMemory(); DynamoDbClient db = engine.dynamoDbClient()) {
            for (String table : new String[]{"deals", "members"}) {
                db.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                        .keySchema(k -> k.attributeName("id").keyType("HASH")));
            }
            db.putItem(b -> b.tableName("members").item(Map.of("id", s("m1"), "status", s("ACTIVE"))));
            engine.meter().enable();
            // 1,500 bytes: 2 write units; read eventually consistent: 0.5 per 4 KB
            var put = db.putItem(b -> b.tableName("deals").item(Map.of("id", s("d1"), "note", s("x".repeat(1500)))));
            assertNull(put.consumedCapacity(), "not asked for, not shown");
            db.getItem(b -> b.tableName("deals").key(Map.of("id", s("d1"))));
            // a transaction doubles: the put 2 x 1, the check of a small item 2 x 1 read unit
            db.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName("deals").item(Map.of("id", s("d2")))).build(),
                    TransactWriteItem.builder().conditionCheck(c -> c.tableName("members").key(Map.of("id", s("m1")))
                            .conditionExpression("attribute_exists(id)")).build()));
            Map<String, CapacityMeter.Usage> usage = engine.meter().usage();
            assertEquals(new CapacityMeter.Usage(0.5, 4.0, 3), usage.get("deals"));
            assertEquals(new CapacityMeter.Usage(2.0, 0.0, 1), usage.get("members"));
            engine.meter().reset();
            assertEquals(Map.of(), engine.meter().usage());
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }
}
