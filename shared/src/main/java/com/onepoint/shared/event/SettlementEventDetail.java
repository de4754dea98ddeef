package com.onepoint.shared.event;

/** {@code detail} of MerchantSettled: the immutable settlement of one merchant for one month (YYYYMM). */
public record SettlementEventDetail(String eventId, String occurredAt, int schemaVersion, String merchantId,
                                    String billingMonth, long usedPoints, long useCount, long adjustments,
                                    long settlementAmount) {
}
