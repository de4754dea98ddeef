package com.onepoint.shared.event;

/** {@code detail} of PointsAdjusted: ids and the signed points; the free-text reason stays out of the bus. */
public record AdjustmentEventDetail(String eventId, String occurredAt, int schemaVersion, String adjustmentId,
                                    String memberId, long points) {
}
