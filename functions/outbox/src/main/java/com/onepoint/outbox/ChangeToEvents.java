package com.onepoint.outbox;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.onepoint.shared.domain.Adjustment;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.Member;
import com.onepoint.shared.domain.MemberStatus;
import com.onepoint.shared.domain.Restoration;
import com.onepoint.shared.dynamo.StreamImages;
import com.onepoint.shared.event.AdjustmentEventDetail;
import com.onepoint.shared.event.DealEventDetail;
import com.onepoint.shared.event.EventType;
import com.onepoint.shared.event.MemberEventDetail;
import com.onepoint.shared.table.AdjustmentsTable;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.MembersTable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which domain events a committed table change means (SPEC §4). Deriving events from the stream is the outbox:
 * the write and the "message" are the same commit, so a function dying after its write loses nothing.
 * Event ids are the stream record's id plus the event type: a redelivered record yields the same ids.
 */
public final class ChangeToEvents {
    private final String membersTable;
    private final String dealsTable;
    private final String adjustmentsTable;

    public ChangeToEvents(String membersTable, String dealsTable, String adjustmentsTable) {
        this.membersTable = membersTable;
        this.dealsTable = dealsTable;
        this.adjustmentsTable = adjustmentsTable;
    }

    public List<DomainEvent> eventsOf(DynamodbEvent.DynamodbStreamRecord record) {
        String table = tableOf(record.getEventSourceARN());
        List<DomainEvent> events = new ArrayList<>();
        if (dealsTable.equals(table)) {
            dealEvents(record, StreamImages.oldItem(record, DealsTable.SCHEMA),
                    StreamImages.newItem(record, DealsTable.SCHEMA), events);
        } else if (membersTable.equals(table)) {
            memberEvents(record, StreamImages.oldItem(record, MembersTable.SCHEMA),
                    StreamImages.newItem(record, MembersTable.SCHEMA), events);
        } else if (adjustmentsTable.equals(table)) {
            Adjustment adjustment = StreamImages.newItem(record, AdjustmentsTable.SCHEMA);
            if ("INSERT".equals(record.getEventName()) && adjustment != null) { // written once, never changed
                String eventId = eventId(record, EventType.PointsAdjusted);
                String occurredAt = adjustment.createdAt().toString();
                events.add(new DomainEvent(EventType.PointsAdjusted, eventId, occurredAt, new AdjustmentEventDetail(
                        eventId, occurredAt, EventType.SCHEMA_VERSION, adjustment.adjustmentId(), adjustment.memberId(),
                        adjustment.points())));
            }
        } else {
            throw new IllegalArgumentException("stream record from an unexpected table: " + record.getEventSourceARN());
        }
        return events;
    }

    /** {@code before} is null for an INSERT, {@code deal} for a REMOVE. */
    private static void dealEvents(DynamodbEvent.DynamodbStreamRecord record, Deal before, Deal deal,
                                   List<DomainEvent> events) {
        if (deal == null) {
            return; // deals are never deleted; a REMOVE (e.g. by hand) is no domain event
        }
        if ("INSERT".equals(record.getEventName())) {
            events.add(dealEvent(record, EventType.DealRecorded, deal.createdAt(), deal));
            return;
        }
        DealStatus oldStatus = before == null ? null : before.status();
        if (oldStatus == DealStatus.SUCCESS && deal.status() == DealStatus.CANCELLED) {
            events.add(dealEvent(record, EventType.DealCancelled, deal.cancelledAt(), deal));
        }
        if (before != null && deal.lastRefundId() != null && !deal.lastRefundId().equals(before.lastRefundId())) {
            // the refund's figures are what this write added to the deal's running totals
            DealEventDetail.RefundDetail refund = new DealEventDetail.RefundDetail(deal.lastRefundId(),
                    deal.type() == DealType.EARN ? deal.refundedAmount() - before.refundedAmount() : null,
                    deal.refundedPoints() - before.refundedPoints());
            events.add(dealEvent(record, EventType.DealRefunded, writtenAt(record), deal, refund));
        }
        Restoration oldRestoration = before == null ? null : before.restoration();
        if (oldRestoration == Restoration.PENDING && deal.restoration() == Restoration.DONE) {
            events.add(dealEvent(record, EventType.PointsRestored, deal.restoredAt(), deal));
        } else if (before != null && deal.restoredPoints() > before.restoredPoints()) {
            // a refund's restore: the deal's restoredPoints grew, its own restoration did not move
            events.add(dealEvent(record, EventType.PointsRestored, writtenAt(record), deal));
        }
        if (oldRestoration == Restoration.PENDING && deal.restoration() == Restoration.FORFEITED) {
            events.add(dealEvent(record, EventType.RestorationForfeited, deal.restoredAt(), deal));
        }
    }

    /** {@code before} is null for an INSERT, {@code member} for a REMOVE. */
    private static void memberEvents(DynamodbEvent.DynamodbStreamRecord record, Member before, Member member,
                                     List<DomainEvent> events) {
        if (member == null) {
            return;
        }
        if ("INSERT".equals(record.getEventName())) {
            events.add(memberEvent(record, EventType.MemberJoined, member.joinedAt(), member));
            return;
        }
        MemberStatus oldStatus = before == null ? null : before.status();
        if (oldStatus == MemberStatus.ACTIVE && member.status() == MemberStatus.WITHDRAWN) {
            events.add(memberEvent(record, EventType.MemberWithdrawn, member.withdrawnAt(), member));
            events.add(memberEvent(record, EventType.PointsForfeited, member.withdrawnAt(), member));
        }
    }

    private static DomainEvent dealEvent(DynamodbEvent.DynamodbStreamRecord record, EventType type, Instant at, Deal deal) {
        return dealEvent(record, type, at, deal, null);
    }

    private static DomainEvent dealEvent(DynamodbEvent.DynamodbStreamRecord record, EventType type, Instant at, Deal deal,
                                         DealEventDetail.RefundDetail refund) {
        String eventId = eventId(record, type);
        String occurredAt = at == null ? null : at.toString();
        return new DomainEvent(type, eventId, occurredAt, DealEventDetail.of(eventId, occurredAt, deal, refund));
    }

    /** When the change was written, as the stream record says (whole seconds); a refund's time is on its own item. */
    private static Instant writtenAt(DynamodbEvent.DynamodbStreamRecord record) {
        return record.getDynamodb() == null || record.getDynamodb().getApproximateCreationDateTime() == null ? null
                : record.getDynamodb().getApproximateCreationDateTime().toInstant();
    }

    private static DomainEvent memberEvent(DynamodbEvent.DynamodbStreamRecord record, EventType type, Instant at,
                                           Member member) {
        String eventId = eventId(record, type);
        String occurredAt = at == null ? null : at.toString();
        Long forfeited = type == EventType.MemberJoined ? null : member.forfeitedPoints();
        return new DomainEvent(type, eventId, occurredAt, new MemberEventDetail(eventId, occurredAt,
                EventType.SCHEMA_VERSION, member.memberId(), member.status().name(), forfeited));
    }

    static String eventId(DynamodbEvent.DynamodbStreamRecord record, EventType type) {
        return record.getEventID() + ":" + type.name();
    }

    /** "arn:aws:dynamodb:region:account:table/NAME/stream/LABEL" → NAME. */
    static String tableOf(String streamArn) {
        if (streamArn == null) {
            return "";
        }
        int start = streamArn.indexOf(":table/");
        if (start < 0) {
            return "";
        }
        int from = start + ":table/".length();
        int end = streamArn.indexOf('/', from);
        return end < 0 ? streamArn.substring(from) : streamArn.substring(from, end);
    }
}
