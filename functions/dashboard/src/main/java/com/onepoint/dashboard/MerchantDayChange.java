package com.onepoint.dashboard;

import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.event.DealEventDetail;
import com.onepoint.shared.event.DealEventEnvelope;
import com.onepoint.shared.event.EventType;
import com.onepoint.shared.table.MerchantDaysTable.Counters;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * What one deal event adds to its merchant's day, read from the EventBridge envelope the merchant-days queue delivers.
 * The day is the deal's own ({@code dealOccurredAt} in the business zone) for every change of it, so a cancellation or
 * refund nets out the day, and the month, its deal counted in, as the settlement nets a month. {@code changeKey} names
 * the change itself, not the event: a change is counted once however often, and under whatever event id, it arrives.
 */
record MerchantDayChange(String changeKey, String merchantId, String day, Counters counters) {

    /** The change, or null for a deal event that moves no daily figure (PointsRestored, RestorationForfeited). */
    static MerchantDayChange of(String envelopeJson, ZoneId zone) {
        DealEventEnvelope event = DealEventEnvelope.parse(envelopeJson);
        EventType type = event.type();
        if (type != EventType.DealRecorded && type != EventType.DealCancelled && type != EventType.DealRefunded) {
            return null;
        }
        DealEventDetail d = event.detail();
        if (d.dealId() == null || d.dealId().isEmpty() || d.merchantId() == null || d.merchantId().isEmpty()) {
            throw new IllegalArgumentException("detail has no dealId or merchantId");
        }
        boolean earn = DealType.fromWire(String.valueOf(d.type()))
                .orElseThrow(() -> new IllegalArgumentException("detail has type " + d.type())) == DealType.EARN;
        String day;
        try {
            day = Instant.parse(String.valueOf(d.dealOccurredAt())).atZone(zone).toLocalDate().toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("detail has dealOccurredAt " + d.dealOccurredAt() + ", not an instant");
        }
        long[] c = new long[13];
        String change;
        switch (type) {
            case DealRecorded -> {
                change = "RECORDED";
                // the deal as inserted: SUCCESS, or FAILED when refused (a FAILED deal never changes again)
                if ("FAILED".equals(d.status())) {
                    c[4] = 1;
                } else if (earn) {
                    c[0] = 1;
                    c[1] = d.points();
                } else {
                    c[2] = 1;
                    c[3] = d.points();
                }
            }
            case DealCancelled -> {
                change = "CANCELLED";
                // what the cancellation reversed: the points refunds had not already taken back
                long reversed = Math.subtractExact(d.points(), d.refundedPoints());
                if (earn) {
                    c[5] = 1;
                    c[6] = reversed;
                } else {
                    c[7] = 1;
                    c[8] = reversed;
                }
            }
            default -> {
                if (d.refund() == null || d.refund().refundId() == null) {
                    throw new IllegalArgumentException("DealRefunded has no detail.refund.refundId");
                }
                change = "REFUND#" + d.refund().refundId();
                if (earn) {
                    c[9] = 1;
                    c[10] = d.refund().points();
                } else {
                    c[11] = 1;
                    c[12] = d.refund().points();
                }
            }
        }
        return new MerchantDayChange(d.dealId() + "#" + change, d.merchantId(), day,
                new Counters(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12]));
    }
}
