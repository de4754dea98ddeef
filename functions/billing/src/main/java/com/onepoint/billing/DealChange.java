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
 * Kind#USE}), a successful use cancelled ({@link Kind#CANCEL}, the points refunds had not given back) or partly
 * refunded ({@link Kind#REFUND}, the refund's points). Earns, FAILED uses and every other change (restoration flags,
 * ...) move nothing. {@code dealMonth} is the deal's own month: its occurredAt in the business zone. Each deal makes
 * USE and CANCEL at most once and each refund once, so {@link #change()} identifies a change across redeliveries.
 *
 * @param refundId the refund of a {@link Kind#REFUND}, else null
 */
record DealChange(int recordIndex, String sequenceNumber, String dealId, Kind kind, String merchantId,
                  String dealMonth, long points, String refundId) {

    enum Kind { USE, CANCEL, REFUND }

    DealChange(int recordIndex, String sequenceNumber, String dealId, Kind kind, String merchantId, String dealMonth,
               long points) {
        this(recordIndex, sequenceNumber, dealId, kind, merchantId, dealMonth, points, null);
    }

    /** The change's name in its applied marker: USE, CANCEL, or REFUND#&lt;refundId&gt;. */
    String change() {
        return kind == Kind.REFUND ? kind.name() + "#" + refundId : kind.name();
    }

    /** The billing change the record carries, if any; a record that cannot be read throws (a bug or a poison record). */
    static Optional<DealChange> of(DynamodbEvent.DynamodbStreamRecord record, int recordIndex, ZoneId zone) {
        String eventName = record.getEventName();
        Deal deal = StreamImages.newItem(record, DealsTable.SCHEMA);
        Kind kind;
        long points;
        String refundId = null;
        if ("INSERT".equals(eventName)) {
            if (!isUse(deal) || deal.status() != DealStatus.SUCCESS) {
                return Optional.empty();
            }
            kind = Kind.USE;
            points = deal.points();
        } else if ("MODIFY".equals(eventName)) {
            Deal before = StreamImages.oldItem(record, DealsTable.SCHEMA);
            if (!isUse(deal) || before == null || before.status() != DealStatus.SUCCESS) {
                return Optional.empty();
            }
            if (deal.status() == DealStatus.CANCELLED) {
                kind = Kind.CANCEL;
                points = deal.unrefundedPoints(); // refunds already took the rest off
            } else if (deal.lastRefundId() != null && !deal.lastRefundId().equals(before.lastRefundId())) {
                kind = Kind.REFUND;
                points = deal.refundedPoints() - before.refundedPoints();
                refundId = deal.lastRefundId();
            } else {
                return Optional.empty();
            }
        } else {
            return Optional.empty(); // deals are never deleted; a REMOVE by hand changes no bill
        }
        String dealId = required(deal.dealId(), DealsTable.DEAL_ID);
        String merchantId = required(deal.merchantId(), DealsTable.MERCHANT_ID);
        if (deal.points() <= 0 || points < 0 || (kind == Kind.REFUND && points == 0)) {
            throw new IllegalArgumentException("use deal " + dealId + " of " + deal.points() + " points changes "
                    + points + " in a " + kind);
        }
        if (deal.occurredAt() == null) {
            throw new IllegalArgumentException("deal image lacks " + DealsTable.OCCURRED_AT);
        }
        return Optional.of(new DealChange(recordIndex, record.getDynamodb().getSequenceNumber(), dealId, kind,
                merchantId, BillingMonths.of(deal.occurredAt(), zone), points, refundId));
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
