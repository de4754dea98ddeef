package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.dynamo.StreamImages;
import com.onepoint.shared.table.DealsTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * A change of a deal that moves billing, read from one deals-stream record: a use recorded as SUCCESS ({@link
 * Kind#USE}) or a successful use cancelled ({@link Kind#CANCEL}). Earns, FAILED uses and every other change
 * (restoration flags, ...) move nothing. {@code dealMonth} is the deal's own month: its occurredAt in the business zone.
 * Each deal makes each kind of change at most once, so (dealId, kind) identifies it across redeliveries.
 */
record DealChange(int recordIndex, String sequenceNumber, String dealId, Kind kind, String merchantId,
                  String dealMonth, long points) {

    enum Kind { USE, CANCEL }

    /** The billing change the record carries, if any; a record that cannot be read throws (a bug or a poison record). */
    static Optional<DealChange> of(DynamodbEvent.DynamodbStreamRecord record, int recordIndex, ZoneId zone) {
        String eventName = record.getEventName();
        Map<String, AttributeValue> newImage = StreamImages.newImage(record);
        Kind kind;
        if ("INSERT".equals(eventName)) {
            if (!isUse(newImage) || !DealStatus.SUCCESS.name().equals(Items.str(newImage, DealsTable.STATUS))) {
                return Optional.empty();
            }
            kind = Kind.USE;
        } else if ("MODIFY".equals(eventName)) {
            Map<String, AttributeValue> oldImage = StreamImages.oldImage(record);
            if (!isUse(newImage) || !DealStatus.SUCCESS.name().equals(Items.str(oldImage, DealsTable.STATUS))
                    || !DealStatus.CANCELLED.name().equals(Items.str(newImage, DealsTable.STATUS))) {
                return Optional.empty();
            }
            kind = Kind.CANCEL;
        } else {
            return Optional.empty(); // deals are never deleted; a REMOVE by hand changes no bill
        }
        String dealId = required(newImage, DealsTable.DEAL_ID);
        String merchantId = required(newImage, DealsTable.MERCHANT_ID);
        long points = Items.num(newImage, DealsTable.POINTS);
        if (points <= 0) {
            throw new IllegalArgumentException("use deal " + dealId + " has " + points + " points");
        }
        Instant occurredAt = Instant.parse(required(newImage, DealsTable.OCCURRED_AT));
        return Optional.of(new DealChange(recordIndex, record.getDynamodb().getSequenceNumber(), dealId, kind,
                merchantId, BillingMonths.of(occurredAt, zone), points));
    }

    private static boolean isUse(Map<String, AttributeValue> image) {
        return DealType.fromWire(String.valueOf(Items.str(image, DealsTable.TYPE))).orElse(null) == DealType.USE;
    }

    private static String required(Map<String, AttributeValue> image, String name) {
        String value = Items.str(image, name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("deal image lacks " + name);
        }
        return value;
    }
}
