package com.onepoint.dashboard;

import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.FailureReason;
import com.onepoint.shared.domain.Restoration;
import com.onepoint.shared.event.DealEventDetail;
import com.onepoint.shared.event.DealEventEnvelope;
import com.onepoint.shared.table.DealsTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;

/**
 * The deals item a deal event describes (the deal after the change, at the item's version), read from the EventBridge
 * envelope the dashboard's queue delivers. Anything that is not a deal event of this schema is refused with the
 * reason, never guessed at: the message then goes back to the queue and, after its retries, to the dead-letter queue.
 */
final class DealEventCopy {
    private DealEventCopy() {
    }

    /** The source item as the deals table holds it, {@code version} included, ready for DashboardProjection. */
    static Map<String, AttributeValue> dealItemOf(String envelopeJson) {
        DealEventDetail detail = DealEventEnvelope.parse(envelopeJson).detail();
        // an event from before the version was published cannot be ordered against the copy: refused, not guessed
        if (detail.version() < 1) {
            throw new IllegalArgumentException("detail has no version");
        }
        for (String[] field : new String[][]{{"dealId", detail.dealId()}, {"memberId", detail.memberId()},
                {"merchantId", detail.merchantId()}, {"dealOccurredAt", detail.dealOccurredAt()},
                {"createdAt", detail.createdAt()}}) {
            if (field[1] == null || field[1].isEmpty()) {
                throw new IllegalArgumentException("detail has no " + field[0]);
            }
        }
        Deal deal = new Deal(detail.dealId(), detail.memberId(), detail.merchantId(),
                DealType.fromWire(String.valueOf(detail.type()))
                        .orElseThrow(() -> new IllegalArgumentException("detail has type " + detail.type())),
                detail.amount(), detail.points(), DealStatus.valueOf(String.valueOf(detail.status())),
                detail.failureReason() == null ? null : FailureReason.valueOf(detail.failureReason()),
                instant("dealOccurredAt", detail.dealOccurredAt()), instant("createdAt", detail.createdAt()),
                instant("cancelledAt", detail.cancelledAt()),
                detail.restoration() == null ? null : Restoration.valueOf(detail.restoration()), null, detail.version(),
                detail.receiptId(), detail.refundedAmount(), detail.refundedPoints(), detail.restoredPoints(), null);
        return DealsTable.SCHEMA.itemToMap(deal, true);
    }

    private static Instant instant(String field, String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("detail has " + field + " " + text + ", not an instant");
        }
    }
}
