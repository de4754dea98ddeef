package com.onepoint.shared.dynamo;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Table-stream images as Lambda delivers them (aws-lambda-java-events' AttributeValue) converted to the SDK's
 * AttributeValue, so stream consumers read items with the same table schemas (DealsTable.SCHEMA, ...) as the
 * functions that wrote them.
 */
public final class StreamImages {
    private StreamImages() {
    }

    /** The record's NewImage read with the table's schema; null when it has none (a REMOVE). */
    public static <T> T newItem(DynamodbEvent.DynamodbStreamRecord record, TableSchema<T> schema) {
        return item(newImage(record), schema);
    }

    /** The record's OldImage read with the table's schema; null when it has none (an INSERT). */
    public static <T> T oldItem(DynamodbEvent.DynamodbStreamRecord record, TableSchema<T> schema) {
        return item(oldImage(record), schema);
    }

    private static <T> T item(Map<String, AttributeValue> image, TableSchema<T> schema) {
        return image.isEmpty() ? null : schema.mapToItem(image);
    }

    public static Map<String, AttributeValue> newImage(DynamodbEvent.DynamodbStreamRecord record) {
        return record.getDynamodb() == null ? Map.of() : toSdk(record.getDynamodb().getNewImage());
    }

    public static Map<String, AttributeValue> oldImage(DynamodbEvent.DynamodbStreamRecord record) {
        return record.getDynamodb() == null ? Map.of() : toSdk(record.getDynamodb().getOldImage());
    }

    public static Map<String, AttributeValue> toSdk(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        if (image == null) {
            return Map.of();
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        image.forEach((name, value) -> out.put(name, toSdk(value)));
        return out;
    }

    public static AttributeValue toSdk(com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue v) {
        if (v.getS() != null) {
            return AttributeValue.fromS(v.getS());
        }
        if (v.getN() != null) {
            return AttributeValue.fromN(v.getN());
        }
        if (v.getBOOL() != null) {
            return AttributeValue.fromBool(v.getBOOL());
        }
        if (v.getNULL() != null) {
            return AttributeValue.fromNul(v.getNULL());
        }
        if (v.getB() != null) {
            return AttributeValue.fromB(SdkBytes.fromByteBuffer(v.getB().duplicate()));
        }
        if (v.getSS() != null) {
            return AttributeValue.fromSs(v.getSS());
        }
        if (v.getNS() != null) {
            return AttributeValue.fromNs(v.getNS());
        }
        if (v.getBS() != null) {
            return AttributeValue.fromBs(v.getBS().stream().map(b -> SdkBytes.fromByteBuffer(b.duplicate())).toList());
        }
        if (v.getM() != null) {
            return AttributeValue.fromM(toSdk(v.getM()));
        }
        if (v.getL() != null) {
            List<AttributeValue> list = v.getL().stream().map(StreamImages::toSdk).toList();
            return AttributeValue.fromL(list);
        }
        throw new IllegalArgumentException("stream attribute value carries no type: " + v);
    }
}
