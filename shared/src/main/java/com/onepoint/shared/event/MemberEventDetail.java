package com.onepoint.shared.event;

/** {@code detail} of MemberJoined, MemberWithdrawn and PointsForfeited ({@code forfeitedPoints} set on the last two). */
public record MemberEventDetail(String eventId, String occurredAt, int schemaVersion, String memberId, String status,
                                Long forfeitedPoints) {
}
