package com.onepoint.outbox;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.Member;
import com.onepoint.shared.domain.MemberStatus;
import com.onepoint.shared.domain.Restoration;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.dynamo.StreamImages;
import com.onepoint.shared.event.DealEventDetail;
import com.onepoint.shared.event.EventType;
import com.onepoint.shared.event.MemberEventDetail;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.MembersTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which domain events a committed table change means (SPEC §4). Deriving events from the stream is the outbox:
 * the write and the "message" are the same commit, so a function dying after its write loses nothing.
 * Event ids are the stream record's id plus the event type: a redelivered record yields the same ids.
 */
public final class ChangeToEvents {
    private final String membersTable;
    private final String dealsTable;

    public ChangeToEvents(String membersTable, String dealsTable) {
        this.membersTable = membersTable;
        this.dealsTable = dealsTable;
    }

    public List<DomainEvent> eventsOf(DynamodbEvent.DynamodbStreamRecord record) {
        String table = tableOf(record.getEventSourceARN());
        Map<String, AttributeValue> oldImage = StreamImages.oldImage(record);
        Map<String, AttributeValue> newImage = StreamImages.newImage(record);
        List<DomainEvent> events = new ArrayList<>();
        if (dealsTable.equals(table)) {
            dealEvents(record, oldImage, newImage, events);
        } else if (membersTable.equals(table)) {
            memberEvents(record, oldImage, newImage, events);
        } else {
            throw new IllegalArgumentException("stream record from an unexpected table: " + record.getEventSourceARN());
        }
        return events;
    }

    private static void dealEvents(DynamodbEvent.DynamodbStreamRecord record, Map<String, AttributeValue> oldImage,
                                   Map<String, AttributeValue> newImage, List<DomainEvent> events) {
        if (newImage.isEmpty()) {
            return; // deals are never deleted; a REMOVE (e.g. by hand) is no domain event
        }
        Deal deal = DealsTable.fromItem(newImage);
        // the dashboard copies deals from these events: a change without its version could not be ordered there
        long version = Items.num(newImage, DealsTable.VERSION);
        if ("INSERT".equals(record.getEventName())) {
            events.add(dealEvent(record, EventType.DealRecorded, deal.createdAt(), deal, version));
            return;
        }
        String oldStatus = Items.str(oldImage, DealsTable.STATUS);
        if (DealStatus.SUCCESS.name().equals(oldStatus) && deal.status() == DealStatus.CANCELLED) {
            events.add(dealEvent(record, EventType.DealCancelled, deal.cancelledAt(), deal, version));
        }
        String oldRestoration = Items.str(oldImage, DealsTable.RESTORATION);
        if (Restoration.PENDING.name().equals(oldRestoration) && Restoration.DONE.name().equals(deal.restoration())) {
            events.add(dealEvent(record, EventType.PointsRestored, Items.str(newImage, DealsTable.RESTORED_AT), deal, version));
        }
        if (Restoration.PENDING.name().equals(oldRestoration) && Restoration.FORFEITED.name().equals(deal.restoration())) {
            events.add(dealEvent(record, EventType.RestorationForfeited, Items.str(newImage, DealsTable.RESTORED_AT),
                    deal, version));
        }
    }

    private static void memberEvents(DynamodbEvent.DynamodbStreamRecord record, Map<String, AttributeValue> oldImage,
                                     Map<String, AttributeValue> newImage, List<DomainEvent> events) {
        if (newImage.isEmpty()) {
            return;
        }
        Member member = MembersTable.fromItem(newImage);
        if ("INSERT".equals(record.getEventName())) {
            events.add(memberEvent(record, EventType.MemberJoined, member.joinedAt(), member));
            return;
        }
        String oldStatus = Items.str(oldImage, MembersTable.STATUS);
        if (MemberStatus.ACTIVE.name().equals(oldStatus) && member.status() == MemberStatus.WITHDRAWN) {
            events.add(memberEvent(record, EventType.MemberWithdrawn, member.withdrawnAt(), member));
            events.add(memberEvent(record, EventType.PointsForfeited, member.withdrawnAt(), member));
        }
    }

    private static DomainEvent dealEvent(DynamodbEvent.DynamodbStreamRecord record, EventType type, String at, Deal deal,
                                         long version) {
        String eventId = eventId(record, type);
        return new DomainEvent(type, eventId, at, DealEventDetail.of(eventId, at, deal, version));
    }

    private static DomainEvent memberEvent(DynamodbEvent.DynamodbStreamRecord record, EventType type, String at,
                                           Member member) {
        String eventId = eventId(record, type);
        Long forfeited = type == EventType.MemberJoined ? null : member.forfeitedPoints();
        return new DomainEvent(type, eventId, at, new MemberEventDetail(eventId, at, EventType.SCHEMA_VERSION,
                member.memberId(), member.status().name(), forfeited));
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
