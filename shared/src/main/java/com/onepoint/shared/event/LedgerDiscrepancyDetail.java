package com.onepoint.shared.event;

/** {@code detail} of LedgerDiscrepancy: a member whose balance is not the sum of its movements. */
public record LedgerDiscrepancyDetail(String eventId, String occurredAt, int schemaVersion, String memberId,
                                      long balance, long sumOfMovements) {
}
