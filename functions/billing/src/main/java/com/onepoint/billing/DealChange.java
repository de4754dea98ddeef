package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.dynamo.StreamImages;
import com.onepoint.shared.table.DealsTable;

import java.time.ZoneId;
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
        Deal deal = StreamImages.newItem(record, DealsTable.SCHEMA);
        Kind kind;
        if ("INSERT".equals(eventName)) {
            if (!isUse(deal) || deal.status() != DealStatus.SUCCESS) {
                return Optional.empty();
            }
            kind = Kind.USE;
        } else if ("MODIFY".equals(eventName)) {
            Deal before = StreamImages.oldItem(record, DealsTable.SCHEMA);
            if (!isUse(deal) || before == null || before.status() != DealStatus.SUCCESS
                    || deal.status() != DealStatus.CANCELLED) {
                return Optional.empty();
            }
            kind = Kind.CANCEL;
        } else {
            return Optional.empty(); // deals are never deleted; a REMOVE by hand changes no bill
        }
        String dealId = required(deal.dealId(), DealsTable.DEAL_ID);
        String merchantId = required(deal.merchantId(), DealsTable.MERCHANT_ID);
        if (deal.points() <= 0) {
            throw new IllegalArgumentException("use deal " + dealId + " has " + deal.points() + " points");
        }
        if (deal.occurredAt() == null) {
            throw new IllegalArgumentException("deal image lacks " + DealsTable.OCCURRED_AT);
        }
        return Optional.of(new DealChange(recordIndex, record.getDynamodb().getSequenceNumber(), dealId, kind,
                merchantId, BillingMonths.of(deal.occurredAt(), zone), deal.points()));
    }

    private static boolean isUse(Deal deal) {
        return deal != null && deal.type() == DealType.USE;
    }

    private static String required(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("deal image lacks " + name);
        }
        return value;
    }
}
