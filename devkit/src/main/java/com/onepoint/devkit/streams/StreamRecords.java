package com.onepoint.devkit.streams;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.onepoint.devkit.SamTemplate;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.Record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts DynamoDB Streams records as the SDK reads them ({@code software.amazon.awssdk.services.dynamodb.model.Record})
 * into the records Lambda hands a stream consumer ({@link DynamodbEvent.DynamodbStreamRecord}), and those into the
 * JSON Lambda puts on the wire (used to evaluate FilterCriteria, which match that JSON).
 * The two model families share names but no types, so every attribute type is converted explicitly.
 */
public final class StreamRecords {
    public static final String EVENT_SOURCE = "aws:dynamodb";

    private StreamRecords() {
    }

    public static DynamodbEvent toEvent(List<Record> records, String streamArn) {
        List<DynamodbEvent.DynamodbStreamRecord> converted = new ArrayList<>();
        for (Record r : records) {
            converted.add(toLambda(r, streamArn));
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(converted);
        return event;
    }

    /** One record as Lambda delivers it: region is the template's, source {@value #EVENT_SOURCE}, ARN the stream's. */
    public static DynamodbEvent.DynamodbStreamRecord toLambda(Record record, String streamArn) {
        DynamodbEvent.DynamodbStreamRecord out = new DynamodbEvent.DynamodbStreamRecord();
        out.setEventID(record.eventID());
        out.setEventName(record.eventNameAsString());
        out.setEventVersion(record.eventVersion() == null ? "1.1" : record.eventVersion());
        out.setEventSource(EVENT_SOURCE);
        out.setAwsRegion(SamTemplate.REGION);
        out.setEventSourceARN(streamArn);
        if (record.userIdentity() != null) { // present on deletions made by TTL
            out.setUserIdentity(new Identity().withPrincipalId(record.userIdentity().principalId())
                    .withType(record.userIdentity().type()));
        }
        software.amazon.awssdk.services.dynamodb.model.StreamRecord in = record.dynamodb();
        if (in != null) {
            StreamRecord sr = new StreamRecord();
            if (in.approximateCreationDateTime() != null) {
                sr.setApproximateCreationDateTime(Date.from(in.approximateCreationDateTime()));
            }
            if (in.hasKeys()) {
                sr.setKeys(toLambda(in.keys()));
            }
            if (in.hasNewImage()) {
                sr.setNewImage(toLambda(in.newImage()));
            }
            if (in.hasOldImage()) {
                sr.setOldImage(toLambda(in.oldImage()));
            }
            sr.setSequenceNumber(in.sequenceNumber());
            sr.setSizeBytes(in.sizeBytes());
            if (in.streamViewTypeAsString() != null) {
                sr.setStreamViewType(StreamViewType.fromValue(in.streamViewTypeAsString()));
            }
            out.setDynamodb(sr);
        }
        return out;
    }

    public static Map<String, AttributeValue> toLambda(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        item.forEach((name, value) -> out.put(name, toLambda(value)));
        return out;
    }

    public static AttributeValue toLambda(software.amazon.awssdk.services.dynamodb.model.AttributeValue v) {
        AttributeValue out = new AttributeValue();
        switch (v.type()) {
            case S -> out.setS(v.s());
            case N -> out.setN(v.n());
            case B -> out.setB(buffer(v.b()));
            case SS -> out.setSS(v.ss());
            case NS -> out.setNS(v.ns());
            case BS -> out.setBS(v.bs().stream().map(StreamRecords::buffer).toList());
            case M -> out.setM(toLambda(v.m()));
            case L -> out.setL(v.l().stream().map(StreamRecords::toLambda).toList());
            case NUL -> out.setNULL(v.nul());
            case BOOL -> out.setBOOL(v.bool());
            default -> throw new IllegalArgumentException("attribute value of unknown type: " + v);
        }
        return out;
    }

    private static ByteBuffer buffer(SdkBytes bytes) {
        return ByteBuffer.wrap(bytes.asByteArray()).asReadOnlyBuffer();
    }

    /**
     * The record as Lambda serialises it: {@code dynamodb.Keys/NewImage/OldImage} in DynamoDB JSON
     * ({@code {"S": "x"}}, binaries base64), {@code ApproximateCreationDateTime} in epoch seconds.
     */
    public static Map<String, Object> toWireJson(DynamodbEvent.DynamodbStreamRecord record) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventID", record.getEventID());
        out.put("eventName", record.getEventName());
        out.put("eventVersion", record.getEventVersion());
        out.put("eventSource", record.getEventSource());
        out.put("awsRegion", record.getAwsRegion());
        StreamRecord sr = record.getDynamodb();
        if (sr != null) {
            Map<String, Object> ddb = new LinkedHashMap<>();
            if (sr.getApproximateCreationDateTime() != null) {
                ddb.put("ApproximateCreationDateTime", sr.getApproximateCreationDateTime().getTime() / 1000);
            }
            putImage(ddb, "Keys", sr.getKeys());
            putImage(ddb, "NewImage", sr.getNewImage());
            putImage(ddb, "OldImage", sr.getOldImage());
            ddb.put("SequenceNumber", sr.getSequenceNumber());
            ddb.put("SizeBytes", sr.getSizeBytes());
            ddb.put("StreamViewType", sr.getStreamViewType());
            out.put("dynamodb", ddb);
        }
        if (record.getUserIdentity() != null) {
            out.put("userIdentity", Map.of("principalId", record.getUserIdentity().getPrincipalId(),
                    "type", record.getUserIdentity().getType()));
        }
        out.put("eventSourceARN", record.getEventSourceARN());
        return out;
    }

    private static void putImage(Map<String, Object> ddb, String name, Map<String, AttributeValue> image) {
        if (image != null) {
            ddb.put(name, wire(image));
        }
    }

    private static Map<String, Object> wire(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        item.forEach((name, value) -> out.put(name, wire(value)));
        return out;
    }

    static Map<String, Object> wire(AttributeValue v) {
        if (v.getS() != null) {
            return Map.of("S", v.getS());
        }
        if (v.getN() != null) {
            return Map.of("N", v.getN());
        }
        if (v.getB() != null) {
            return Map.of("B", base64(v.getB()));
        }
        if (v.getSS() != null) {
            return Map.of("SS", v.getSS());
        }
        if (v.getNS() != null) {
            return Map.of("NS", v.getNS());
        }
        if (v.getBS() != null) {
            return Map.of("BS", v.getBS().stream().map(StreamRecords::base64).toList());
        }
        if (v.getM() != null) {
            return Map.of("M", wire(v.getM()));
        }
        if (v.getL() != null) {
            return Map.of("L", v.getL().stream().map(StreamRecords::wire).toList());
        }
        if (v.getNULL() != null) {
            return Map.of("NULL", v.getNULL());
        }
        if (v.getBOOL() != null) {
            return Map.of("BOOL", v.getBOOL());
        }
        throw new IllegalArgumentException("empty attribute value");
    }

    private static String base64(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
