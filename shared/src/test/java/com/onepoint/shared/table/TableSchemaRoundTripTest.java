package com.onepoint.shared.table;

import com.onepoint.shared.domain.AccountStatus;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.FailureReason;
import com.onepoint.shared.domain.Member;
import com.onepoint.shared.domain.MemberStatus;
import com.onepoint.shared.domain.Merchant;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.domain.Rate;
import com.onepoint.shared.domain.Receipt;
import com.onepoint.shared.domain.Refund;
import com.onepoint.shared.domain.Restoration;
import com.onepoint.shared.domain.SettlementStatus;
import com.onepoint.shared.json.Json;
import com.onepoint.shared.table.BillingTable.AppliedChanges.Marker;
import com.onepoint.shared.table.BillingTable.MerchantMonth;
import com.onepoint.shared.table.BillingTable.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each schema writes every field of a fully populated record and reads the same record back, in the stored forms. */
class TableSchemaRoundTripTest {
    private static final Instant T1 = Instant.parse("2026-11-25T00:00:05.120Z");
    private static final Instant T2 = Instant.parse("2026-11-25T01:02:03Z");
    private static final Instant T3 = Instant.parse("2026-11-25T02:00:00.000000500Z");

    static final Deal DEAL = new Deal("d-1", "0001", "20", DealType.USE, 10_000, 100, DealStatus.CANCELLED,
            FailureReason.INSUFFICIENT_POINTS, T1, T2, T3, Restoration.DONE, T3.plusSeconds(60), 3, "T1-0001:a.b_c",
            0, 40, 100, "r-1");
    static final Receipt RECEIPT = new Receipt("20", "T1-0001:a.b_c", "d-1", T1);
    static final Refund REFUND = new Refund("r-1", "d-1", "0001", "20", DealType.USE, 10_000L, 40, T2,
            Restoration.FORFEITED, T3);
    static final Member MEMBER = new Member("0001", "Kim", "+821020003000", "kim@example.com", MemberStatus.WITHDRAWN,
            T1, T2, 600L, T2, 2);
    static final PointAccount ACCOUNT = new PointAccount("0001", 0, AccountStatus.CLOSED, T1, T2, T3, 600L, 7);
    static final Merchant MERCHANT = new Merchant("20", "Shop", Rate.of("0.0125"), Rate.DEFAULT_SETTLEMENT, T1,
            "ab".repeat(32), T2);
    static final MerchantMonth MONTH = new MerchantMonth("20", "202611", new View(500, 3, 100, 1, 40, 2, 10, 1, 9), T2,
            SettlementStatus.SETTLED, 400L, 2L, 30L, Rate.DEFAULT_SETTLEMENT, 421L, T3);
    static final Marker MARKER = new Marker("d-1#CANCEL", "d-1", "CANCEL", "20", "202612", true, 100, "000000000000000000123",
            T1, Instant.ofEpochSecond(T1.getEpochSecond() + 7 * 86_400));

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of("deal", DealsTable.SCHEMA, DEAL),
                Arguments.of("receipt", ReceiptsTable.SCHEMA, RECEIPT),
                Arguments.of("refund", RefundsTable.SCHEMA, REFUND),
                Arguments.of("member", MembersTable.SCHEMA, MEMBER),
                Arguments.of("point account", PointsTable.SCHEMA, ACCOUNT),
                Arguments.of("member phone", MemberPhonesTable.SCHEMA, new MemberPhonesTable.Claim("+821020003000", "0001", T1)),
                Arguments.of("merchant", MerchantsTable.SCHEMA, MERCHANT),
                Arguments.of("dashboard profile", DashboardTable.PROFILE_SCHEMA,
                        DashboardTable.Profile.of("0001", MemberStatus.WITHDRAWN, "Kim", T1, T2, 2)),
                Arguments.of("dashboard balance", DashboardTable.BALANCE_SCHEMA,
                        DashboardTable.Balance.of("0001", 900, AccountStatus.OPEN, 3)),
                Arguments.of("billing merchant-month", BillingTable.SCHEMA, MONTH),
                Arguments.of("applied change", BillingTable.AppliedChanges.SCHEMA, MARKER),
                Arguments.of("ledger entry", LedgerTable.SCHEMA, new com.onepoint.shared.domain.LedgerEntry("0001", 7,
                        com.onepoint.shared.domain.MovementKind.EARN_REFUND, -99, 201, "d-1", "r-1", "a-1", T1)),
                Arguments.of("adjustment", AdjustmentsTable.SCHEMA,
                        new com.onepoint.shared.domain.Adjustment("a-1", "0001", -600, "welcome gift", T1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    <T> void recordToItemToRecordIsTheIdentity(String name, TableSchema<T> schema, T record) {
        Map<String, AttributeValue> item = schema.itemToMap(record, true);

        assertEquals(new HashSet<>(schema.attributeNames()), item.keySet(), name + ": every attribute is written");
        assertEquals(record, schema.mapToItem(item));
    }

    @Test
    void typedAttributesKeepTheirStoredForms() {
        Map<String, AttributeValue> deal = DealsTable.SCHEMA.itemToMap(DEAL, true);
        assertEquals(AttributeValue.fromS("use"), deal.get(DealsTable.TYPE), "the wire word, as the API spells it");
        assertEquals(AttributeValue.fromS("CANCELLED"), deal.get(DealsTable.STATUS));
        assertEquals(AttributeValue.fromS("2026-11-25T00:00:05.120Z"), deal.get(DealsTable.OCCURRED_AT));
        assertEquals(AttributeValue.fromS("2026-11-25T02:00:00.000000500Z"), deal.get(DealsTable.CANCELLED_AT));
        assertEquals(AttributeValue.fromN("10000"), deal.get(DealsTable.AMOUNT));

        Map<String, AttributeValue> merchant = MerchantsTable.SCHEMA.itemToMap(MERCHANT, true);
        assertEquals(AttributeValue.fromN("0.0125"), merchant.get(MerchantsTable.EARN_RATE), "an exact decimal");
        assertEquals(AttributeValue.fromN("0.98"), merchant.get(MerchantsTable.SETTLEMENT_RATE));

        Map<String, AttributeValue> marker = BillingTable.AppliedChanges.SCHEMA.itemToMap(MARKER, true);
        assertEquals(AttributeValue.fromBool(true), marker.get(BillingTable.AppliedChanges.CARRIED));
        assertEquals(AttributeValue.fromN(Long.toString(T1.getEpochSecond() + 7 * 86_400)),
                marker.get(BillingTable.AppliedChanges.EXPIRES_AT), "TTL reads epoch seconds");
    }

    @Test
    void absentOptionalAttributesAreNotWrittenAndReadAsNull() {
        Deal recorded = Deal.recorded("d-2", "0001", "20", DealType.EARN, 100_000, 1000, DealStatus.SUCCESS, null, T1, T1);
        Map<String, AttributeValue> item = DealsTable.SCHEMA.itemToMap(recorded, true);

        assertFalse(item.containsKey(DealsTable.FAILURE_REASON));
        assertFalse(item.containsKey(DealsTable.CANCELLED_AT));
        assertFalse(item.containsKey(DealsTable.RESTORATION));
        assertEquals(AttributeValue.fromN("1"), item.get(DealsTable.VERSION), "a new deal is version 1");
        Deal read = DealsTable.SCHEMA.mapToItem(item);
        assertNull(read.restoration());
        assertEquals(recorded, read);
    }

    @Test
    void aMonthWithoutSettlementHasNoneAndAnEmptyItemHasAZeroView() {
        Map<String, AttributeValue> open = Map.of(BillingTable.MERCHANT_ID, AttributeValue.fromS("20"),
                BillingTable.BILLING_MONTH, AttributeValue.fromS("202611"),
                BillingTable.GROSS_USED_POINTS, AttributeValue.fromN("500"));

        assertTrue(BillingTable.settlementOf(open).isEmpty());
        assertEquals(500, BillingTable.viewOf(open).grossUsedPoints());
        assertEquals(View.EMPTY, BillingTable.viewOf(Map.of()));
    }

    @Test
    void theApiShowsTheDealWithoutItsBookkeeping() {
        String json = Json.write(DEAL);

        assertTrue(json.contains("\"occurredAt\":\"2026-11-25T00:00:05.120Z\""), json);
        assertTrue(json.contains("\"type\":\"use\""), json);
        assertTrue(json.contains("\"restoration\":\"DONE\""), json);
        assertFalse(json.contains("version"), json);
        assertFalse(json.contains("restoredAt"), json);
        assertFalse(Json.write(MERCHANT).contains("apiKeyHash"), "a key hash is never shown");
    }
}
