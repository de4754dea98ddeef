package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.onepoint.devkit.streams.StreamRecords;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.FailureReason;
import com.onepoint.shared.domain.Restoration;
import com.onepoint.shared.table.DealsTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deals-stream records as Lambda delivers them, built from the same item mapping DealService writes with
 * (DealsTable.SCHEMA): an INSERT per recorded deal, a MODIFY SUCCESS → CANCELLED per cancellation. Sequence numbers
 * grow like a shard's.
 */
final class DealStream {
    static final String ARN = "arn:aws:dynamodb:ap-northeast-2:000000000000:table/onepoint-dev-deals/stream/2026-07-01T00:00:00.000";
    private final AtomicLong sequence = new AtomicLong(100_000_000_000_000_000L);

    static Instant at(String isoWithOffset) {
        return OffsetDateTime.parse(isoWithOffset).toInstant();
    }

    static Deal use(String merchantId, long points, Instant occurredAt) {
        return deal(merchantId, DealType.USE, points, DealStatus.SUCCESS, occurredAt);
    }

    static Deal deal(String merchantId, DealType type, long points, DealStatus status, Instant occurredAt) {
        return Deal.recorded(UUID.randomUUID().toString(), "0001", merchantId, type, points * 100, points, status,
                status == DealStatus.FAILED ? FailureReason.INSUFFICIENT_POINTS : null, occurredAt, occurredAt);
    }

    DynamodbEvent.DynamodbStreamRecord inserted(Deal deal) {
        return record("INSERT", null, DealsTable.SCHEMA.itemToMap(deal, true));
    }

    /** The MODIFY a use cancellation writes: status CANCELLED, cancelledAt, restoration PENDING, version + 1. */
    DynamodbEvent.DynamodbStreamRecord cancelled(Deal deal, Instant at) {
        Deal after = deal.cancelled(at, deal.type() == DealType.USE ? Restoration.PENDING : null);
        return record("MODIFY", DealsTable.SCHEMA.itemToMap(deal, true), DealsTable.SCHEMA.itemToMap(after, true));
    }

    /** The MODIFY a use's partial refund writes: refundedPoints + points, lastRefundId, version + 1. */
    DynamodbEvent.DynamodbStreamRecord refunded(Deal deal, String refundId, long points) {
        return record("MODIFY", DealsTable.SCHEMA.itemToMap(deal, true),
                DealsTable.SCHEMA.itemToMap(deal.refunded(refundId, 0, points), true));
    }

    /** A later change that moves no bill: the cancelled use's points restored (CANCELLED → CANCELLED). */
    DynamodbEvent.DynamodbStreamRecord restored(DynamodbEvent.DynamodbStreamRecord cancellation) {
        DynamodbEvent.DynamodbStreamRecord r = new DynamodbEvent.DynamodbStreamRecord();
        StreamRecord sr = new StreamRecord();
        sr.setKeys(cancellation.getDynamodb().getKeys());
        sr.setOldImage(cancellation.getDynamodb().getNewImage());
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image =
                new java.util.HashMap<>(cancellation.getDynamodb().getNewImage());
        image.put(DealsTable.RESTORATION, new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withS("DONE"));
        sr.setNewImage(image);
        return finish(r, "MODIFY", sr);
    }

    private DynamodbEvent.DynamodbStreamRecord record(String eventName, Map<String, AttributeValue> oldImage,
                                                      Map<String, AttributeValue> newImage) {
        StreamRecord sr = new StreamRecord();
        sr.setKeys(StreamRecords.toLambda(Map.of(DealsTable.DEAL_ID, newImage.get(DealsTable.DEAL_ID))));
        if (oldImage != null) {
            sr.setOldImage(StreamRecords.toLambda(oldImage));
        }
        sr.setNewImage(StreamRecords.toLambda(newImage));
        return finish(new DynamodbEvent.DynamodbStreamRecord(), eventName, sr);
    }

    private DynamodbEvent.DynamodbStreamRecord finish(DynamodbEvent.DynamodbStreamRecord r, String eventName, StreamRecord sr) {
        String seq = String.format("%021d", sequence.incrementAndGet());
        sr.setSequenceNumber(seq);
        sr.setSizeBytes(256L);
        sr.setStreamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
        r.setDynamodb(sr);
        r.setEventID(UUID.randomUUID().toString().replace("-", ""));
        r.setEventName(eventName);
        r.setEventVersion("1.1");
        r.setEventSource("aws:dynamodb");
        r.setAwsRegion("ap-northeast-2");
        r.setEventSourceARN(ARN);
        return r;
    }

    static DynamodbEvent batch(List<DynamodbEvent.DynamodbStreamRecord> records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(new ArrayList<>(records));
        return event;
    }

    static DynamodbEvent batch(DynamodbEvent.DynamodbStreamRecord... records) {
        return batch(Arrays.asList(records));
    }

    static String sequenceOf(DynamodbEvent.DynamodbStreamRecord record) {
        return record.getDynamodb().getSequenceNumber();
    }
}
