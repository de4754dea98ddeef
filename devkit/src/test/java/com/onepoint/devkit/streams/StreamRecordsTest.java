package com.onepoint.devkit.streams;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SharedCloud;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(SharedCloud.class)
class StreamRecordsTest {
    private static final String STREAM = "arn:aws:dynamodb:ap-northeast-2:000000000000:table/t/stream/2024-01-01T00:00:00.000";

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue s(String v) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(v);
    }

    /** One attribute of every type, with M and L nested two deep. */
    private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> everyType() {
        return Map.of(
                "s", s("text"),
                "n", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("123.45"),
                "b", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromB(SdkBytes.fromUtf8String("bin")),
                "ss", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromSs(List.of("a", "b")),
                "ns", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromNs(List.of("1", "2.5")),
                "bs", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromBs(
                        List.of(SdkBytes.fromUtf8String("x"), SdkBytes.fromUtf8String("yz"))),
                "nul", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromNul(true),
                "bool", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromBool(false),
                "m", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromM(Map.of(
                        "inner", s("i"),
                        "list", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromL(List.of(
                                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("7"),
                                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromM(Map.of("deep", s("d"))))))),
                "l", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromL(List.of(
                        s("first"),
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromL(List.of(
                                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromBool(true))))));
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer copy = b.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    private static void assertEveryType(Map<String, AttributeValue> image) {
        assertEquals("text", image.get("s").getS());
        assertEquals("123.45", image.get("n").getN());
        assertArrayEquals("bin".getBytes(StandardCharsets.UTF_8), bytes(image.get("b").getB()));
        assertEquals(List.of("a", "b"), image.get("ss").getSS());
        assertEquals(List.of("1", "2.5"), image.get("ns").getNS());
        assertEquals(2, image.get("bs").getBS().size());
        assertArrayEquals("yz".getBytes(StandardCharsets.UTF_8), bytes(image.get("bs").getBS().get(1)));
        assertTrue(image.get("nul").getNULL());
        assertFalse(image.get("bool").getBOOL());
        AttributeValue m = image.get("m");
        assertEquals("i", m.getM().get("inner").getS());
        assertEquals("7", m.getM().get("list").getL().get(0).getN());
        assertEquals("d", m.getM().get("list").getL().get(1).getM().get("deep").getS());
        List<AttributeValue> l = image.get("l").getL();
        assertEquals("first", l.get(0).getS());
        assertTrue(l.get(1).getL().get(0).getBOOL());
        // a converted value carries exactly one type
        assertNull(image.get("s").getN());
        assertNull(image.get("n").getS());
        assertNull(image.get("bool").getNULL());
    }

    @Test
    void convertsEveryAttributeTypeAndTheRecordEnvelope() {
        Instant created = Instant.parse("2024-05-01T10:15:30Z");
        Record sdk = Record.builder()
                .eventID("e-1").eventName(OperationType.MODIFY).eventVersion("1.1").eventSource("aws:dynamodb")
                .awsRegion("ddblocal")
                .userIdentity(Identity.builder().principalId("dynamodb.amazonaws.com").type("Service").build())
                .dynamodb(StreamRecord.builder()
                        .approximateCreationDateTime(created)
                        .keys(Map.of("dealId", s("d-1")))
                        .newImage(everyType())
                        .oldImage(Map.of("dealId", s("d-1")))
                        .sequenceNumber("000100").sizeBytes(321L)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
                .build();

        DynamodbEvent event = StreamRecords.toEvent(List.of(sdk), STREAM);
        DynamodbEvent.DynamodbStreamRecord r = event.getRecords().get(0);
        assertEquals("e-1", r.getEventID());
        assertEquals("MODIFY", r.getEventName());
        assertEquals("1.1", r.getEventVersion());
        assertEquals("aws:dynamodb", r.getEventSource());
        assertEquals("ap-northeast-2", r.getAwsRegion());
        assertEquals(STREAM, r.getEventSourceARN());
        assertEquals("Service", r.getUserIdentity().getType());
        assertEquals("dynamodb.amazonaws.com", r.getUserIdentity().getPrincipalId());
        assertEquals(created, r.getDynamodb().getApproximateCreationDateTime().toInstant());
        assertEquals("d-1", r.getDynamodb().getKeys().get("dealId").getS());
        assertEquals("d-1", r.getDynamodb().getOldImage().get("dealId").getS());
        assertEquals("000100", r.getDynamodb().getSequenceNumber());
        assertEquals(321L, r.getDynamodb().getSizeBytes());
        assertEquals("NEW_AND_OLD_IMAGES", r.getDynamodb().getStreamViewType());
        assertEveryType(r.getDynamodb().getNewImage());
    }

    @Test
    void wireJsonIsDynamoDbJsonAsLambdaSendsIt() {
        Record sdk = Record.builder().eventID("e-2").eventName(OperationType.INSERT)
                .dynamodb(StreamRecord.builder()
                        .approximateCreationDateTime(Instant.ofEpochSecond(1_700_000_000L))
                        .keys(Map.of("dealId", s("d-2"))).newImage(everyType())
                        .sequenceNumber("1").sizeBytes(10L).streamViewType(StreamViewType.NEW_IMAGE).build())
                .build();
        Map<String, Object> wire = StreamRecords.toWireJson(StreamRecords.toLambda(sdk, STREAM));
        assertEquals("INSERT", wire.get("eventName"));
        assertEquals(STREAM, wire.get("eventSourceARN"));
        @SuppressWarnings("unchecked")
        Map<String, Object> ddb = (Map<String, Object>) wire.get("dynamodb");
        assertEquals(1_700_000_000L, ddb.get("ApproximateCreationDateTime"));
        assertEquals(Map.of("dealId", Map.of("S", "d-2")), ddb.get("Keys"));
        @SuppressWarnings("unchecked")
        Map<String, Object> image = (Map<String, Object>) ddb.get("NewImage");
        assertEquals(Map.of("N", "123.45"), image.get("n"));
        assertEquals(Map.of("B", "Ymlu"), image.get("b"));
        assertEquals(Map.of("BS", List.of("eA==", "eXo=")), image.get("bs"));
        assertEquals(Map.of("NULL", true), image.get("nul"));
        assertEquals(Map.of("BOOL", false), image.get("bool"));
        assertEquals(Map.of("M", Map.of("inner", Map.of("S", "i"), "list",
                Map.of("L", List.of(Map.of("N", "7"), Map.of("M", Map.of("deep", Map.of("S", "d"))))))), image.get("m"));
        assertEquals("NEW_IMAGE", ddb.get("StreamViewType"));
    }

    @Test
    void insertModifyRemoveFromDynamoDbLocal() {
        LocalDynamo dynamo = SharedCloud.cloud().dynamo();
        DynamoDbClient db = dynamo.client();
        String table = dynamo.ref("ConverterTable");
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new HashMap<>(everyType());
        item.put("dealId", s("d-1"));
        db.putItem(b -> b.tableName(table).item(item));
        db.updateItem(b -> b.tableName(table).key(Map.of("dealId", s("d-1")))
                .updateExpression("SET #s = :v").expressionAttributeNames(Map.of("#s", "s"))
                .expressionAttributeValues(Map.of(":v", s("changed"))));
        db.deleteItem(b -> b.tableName(table).key(Map.of("dealId", s("d-1"))));

        String streamArn = dynamo.streamArn("ConverterTable");
        DynamoDbStreamsClient streams = dynamo.streams();
        List<Record> records = new ArrayList<>();
        for (var shard : streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()) {
            String it = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            records.addAll(streams.getRecords(b -> b.shardIterator(it)).records());
        }
        List<DynamodbEvent.DynamodbStreamRecord> converted = StreamRecords.toEvent(records, streamArn).getRecords();
        assertEquals(List.of("INSERT", "MODIFY", "REMOVE"),
                converted.stream().map(DynamodbEvent.DynamodbStreamRecord::getEventName).toList());
        DynamodbEvent.DynamodbStreamRecord insert = converted.get(0);
        assertEquals(streamArn, insert.getEventSourceARN());
        assertEquals("ap-northeast-2", insert.getAwsRegion());
        assertEquals("aws:dynamodb", insert.getEventSource());
        assertEquals("NEW_AND_OLD_IMAGES", insert.getDynamodb().getStreamViewType());
        assertEveryType(insert.getDynamodb().getNewImage());
        assertNull(insert.getDynamodb().getOldImage());
        DynamodbEvent.DynamodbStreamRecord modify = converted.get(1);
        assertEquals("text", modify.getDynamodb().getOldImage().get("s").getS());
        assertEquals("changed", modify.getDynamodb().getNewImage().get("s").getS());
        DynamodbEvent.DynamodbStreamRecord remove = converted.get(2);
        assertEquals("changed", remove.getDynamodb().getOldImage().get("s").getS());
        assertNull(remove.getDynamodb().getNewImage());
        assertEquals("d-1", remove.getDynamodb().getKeys().get("dealId").getS());
        assertTrue(new BigInteger(insert.getDynamodb().getSequenceNumber())
                .compareTo(new BigInteger(remove.getDynamodb().getSequenceNumber())) < 0);
    }
}
