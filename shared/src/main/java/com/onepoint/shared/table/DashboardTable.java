package com.onepoint.shared.table;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The dashboard read model, key {@code memberId} (HASH) + {@code sk} (RANGE). Name from DASHBOARD_TABLE.
 * Built only by the dashboard projector from the members, points and deals streams; every item is a copy of one
 * source item and carries that item's {@code version}, so a change is applied once and never overwritten by an
 * older one. Items of one member:
 * <ul>
 *   <li>{@value #PROFILE}: status, name, joinedAt, withdrawnAt (from the members table; no phone or e-mail);</li>
 *   <li>{@value #BALANCE}: balance and account status (from the points table);</li>
 *   <li>{@code DEAL#<createdAt>#<dealId>}: the deal as DealsTable stores it, so a descending Query on the
 *       {@value #DEAL_PREFIX} prefix lists deals newest first.</li>
 * </ul>
 */
public final class DashboardTable {
    public static final String ENV = "DASHBOARD_TABLE";
    public static final String MEMBER_ID = "memberId";
    public static final String SK = "sk";
    public static final String PROFILE = "PROFILE";
    public static final String BALANCE = "BALANCE";
    public static final String DEAL_PREFIX = "DEAL#";

    // PROFILE
    public static final String NAME = "name";
    public static final String STATUS = "status";
    public static final String JOINED_AT = "joinedAt";
    public static final String WITHDRAWN_AT = "withdrawnAt";
    // BALANCE
    public static final String BALANCE_POINTS = "balance";
    public static final String ACCOUNT_STATUS = "accountStatus";
    // DEAL# items hold the DealsTable attributes as they are
    /** The version of the source item this dashboard item copies. */
    public static final String VERSION = "version";

    /**
     * Fixed width, nanoseconds, UTC. Instant.toString() drops trailing zero groups ("...:05Z" vs "...:05.120Z"),
     * and such strings do not sort in time order, so sort keys never use them as they are.
     */
    private static final DateTimeFormatter SORTABLE_INSTANT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private DashboardTable() {
    }

    /** {@code DEAL#2026-11-25T00:00:05.120000000Z#<dealId>}: sorts by creation time, then by id. */
    public static String dealSortKey(String createdAt, String dealId) {
        return DEAL_PREFIX + SORTABLE_INSTANT.format(Instant.parse(createdAt)) + "#" + dealId;
    }

    public static boolean isDealSortKey(String sk) {
        return sk != null && sk.startsWith(DEAL_PREFIX);
    }
}
