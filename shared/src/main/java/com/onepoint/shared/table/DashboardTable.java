package com.onepoint.shared.table;

import com.onepoint.shared.domain.AccountStatus;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.MemberStatus;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/**
 * The dashboard read model, key {@code memberId} (HASH) + {@code sk} (RANGE). Name from DASHBOARD_TABLE.
 * Built only by the dashboard projector from the members, points and deals tables; every item is a copy of one
 * source item and carries that item's {@code version}, so a change is applied once and never overwritten by an
 * older one. Items of one member:
 * <ul>
 *   <li>{@value #PROFILE}: {@link Profile} (from the members table; no phone or e-mail);</li>
 *   <li>{@value #BALANCE}: {@link Balance} (from the points table);</li>
 *   <li>{@code DEAL#<createdAt>#<dealId>}: the deal in {@link DealsTable#SCHEMA}'s attributes plus this sort key
 *       ({@link #dealEntry}), so a descending Query on the {@value #DEAL_PREFIX} prefix lists deals newest first.</li>
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
    /** The version of the source item this dashboard item copies. */
    public static final String VERSION = "version";

    /**
     * Fixed width, nanoseconds, UTC. Instant.toString() drops trailing zero groups ("...:05Z" vs "...:05.120Z"),
     * and such strings do not sort in time order, so sort keys never use them as they are.
     */
    private static final DateTimeFormatter SORTABLE_INSTANT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** The PROFILE item: what the dashboard shows of a member. */
    public record Profile(String memberId, String sk, MemberStatus status, String name, Instant joinedAt,
                          Instant withdrawnAt, long version) {
        public Profile {
            if (!PROFILE.equals(sk)) {
                throw new IllegalArgumentException("a profile item's sort key is " + PROFILE + ", not " + sk);
            }
        }

        public static Profile of(String memberId, MemberStatus status, String name, Instant joinedAt,
                                 Instant withdrawnAt, long version) {
            return new Profile(memberId, PROFILE, status, name, joinedAt, withdrawnAt, version);
        }

        public static final class Builder {
            private String memberId;
            private String sk;
            private MemberStatus status;
            private String name;
            private Instant joinedAt;
            private Instant withdrawnAt;
            private long version;

            public Builder memberId(String v) { memberId = v; return this; }
            public Builder sk(String v) { sk = v; return this; }
            public Builder status(MemberStatus v) { status = v; return this; }
            public Builder name(String v) { name = v; return this; }
            public Builder joinedAt(Instant v) { joinedAt = v; return this; }
            public Builder withdrawnAt(Instant v) { withdrawnAt = v; return this; }
            public Builder version(long v) { version = v; return this; }

            public Profile build() {
                return new Profile(memberId, sk, status, name, joinedAt, withdrawnAt, version);
            }
        }
    }

    /** The BALANCE item: the member's point account as the dashboard shows it. */
    public record Balance(String memberId, String sk, long balance, AccountStatus accountStatus, long version) {
        public Balance {
            if (!BALANCE.equals(sk)) {
                throw new IllegalArgumentException("a balance item's sort key is " + BALANCE + ", not " + sk);
            }
        }

        public static Balance of(String memberId, long balance, AccountStatus accountStatus, long version) {
            return new Balance(memberId, BALANCE, balance, accountStatus, version);
        }

        public static final class Builder {
            private String memberId;
            private String sk;
            private long balance;
            private AccountStatus accountStatus;
            private long version;

            public Builder memberId(String v) { memberId = v; return this; }
            public Builder sk(String v) { sk = v; return this; }
            public Builder balance(long v) { balance = v; return this; }
            public Builder accountStatus(AccountStatus v) { accountStatus = v; return this; }
            public Builder version(long v) { version = v; return this; }

            public Balance build() {
                return new Balance(memberId, sk, balance, accountStatus, version);
            }
        }
    }

    public static final TableSchema<Profile> PROFILE_SCHEMA =
            StaticImmutableTableSchema.builder(Profile.class, Profile.Builder.class)
                    .newItemBuilder(Profile.Builder::new, Profile.Builder::build)
                    .addAttribute(String.class, a -> a.name(MEMBER_ID).getter(Profile::memberId)
                            .setter(Profile.Builder::memberId).tags(primaryPartitionKey()))
                    .addAttribute(String.class, a -> a.name(SK).getter(Profile::sk).setter(Profile.Builder::sk)
                            .tags(primarySortKey()))
                    .addAttribute(MemberStatus.class, a -> a.name(STATUS).getter(Profile::status)
                            .setter(Profile.Builder::status).attributeConverter(Converters.byName(MemberStatus.class)))
                    .addAttribute(String.class, a -> a.name(NAME).getter(Profile::name).setter(Profile.Builder::name))
                    .addAttribute(Instant.class, a -> a.name(JOINED_AT).getter(Profile::joinedAt)
                            .setter(Profile.Builder::joinedAt).attributeConverter(Converters.INSTANT))
                    .addAttribute(Instant.class, a -> a.name(WITHDRAWN_AT).getter(Profile::withdrawnAt)
                            .setter(Profile.Builder::withdrawnAt).attributeConverter(Converters.INSTANT))
                    .addAttribute(Long.class, a -> a.name(VERSION).getter(Profile::version).setter(Profile.Builder::version))
                    .build();

    public static final TableSchema<Balance> BALANCE_SCHEMA =
            StaticImmutableTableSchema.builder(Balance.class, Balance.Builder.class)
                    .newItemBuilder(Balance.Builder::new, Balance.Builder::build)
                    .addAttribute(String.class, a -> a.name(MEMBER_ID).getter(Balance::memberId)
                            .setter(Balance.Builder::memberId).tags(primaryPartitionKey()))
                    .addAttribute(String.class, a -> a.name(SK).getter(Balance::sk).setter(Balance.Builder::sk)
                            .tags(primarySortKey()))
                    .addAttribute(Long.class, a -> a.name(BALANCE_POINTS).getter(Balance::balance)
                            .setter(Balance.Builder::balance))
                    .addAttribute(AccountStatus.class, a -> a.name(ACCOUNT_STATUS).getter(Balance::accountStatus)
                            .setter(Balance.Builder::accountStatus).attributeConverter(Converters.byName(AccountStatus.class)))
                    .addAttribute(Long.class, a -> a.name(VERSION).getter(Balance::version).setter(Balance.Builder::version))
                    .build();

    private DashboardTable() {
    }

    /**
     * The DEAL# item of a deal: the deal's own item (so its {@code version} comes along) plus the sort key. The
     * enhanced client cannot put it through {@link DealsTable#SCHEMA}, whose key is {@code dealId}, so it is a map.
     */
    public static Map<String, AttributeValue> dealEntry(Deal deal) {
        Map<String, AttributeValue> item = new HashMap<>(DealsTable.SCHEMA.itemToMap(deal, true));
        item.put(SK, AttributeValue.fromS(dealSortKey(deal.createdAt(), deal.dealId())));
        return item;
    }

    /** {@code DEAL#2026-11-25T00:00:05.120000000Z#<dealId>}: sorts by creation time, then by id. */
    public static String dealSortKey(Instant createdAt, String dealId) {
        return DEAL_PREFIX + SORTABLE_INSTANT.format(createdAt) + "#" + dealId;
    }

    public static boolean isDealSortKey(String sk) {
        return sk != null && sk.startsWith(DEAL_PREFIX);
    }
}
