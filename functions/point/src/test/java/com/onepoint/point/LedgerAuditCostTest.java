package com.onepoint.point;

import com.onepoint.engine.CapacityMeter;
import com.onepoint.shared.domain.Adjustment;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.dynamo.LedgerMovement;
import com.onepoint.shared.table.AdjustmentsTable;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.PointsTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the audit of every member bills, measured by the engine's CapacityMeter on items shaped as the functions write
 * them: per member a point account (with its last movement), an earn and a use, and an adjustment for one in ten.
 * {@code -Daudit.members=100000} gives the README's figure; the suite runs 2,000. The audit reads each item once, in
 * 1 MB scan pages, so it costs far less than one read unit per member (a read per member would cost at least that).
 */
class LedgerAuditCostTest {
    private static final Instant T = Instant.parse("2026-11-25T01:00:00Z");

    @Test
    void auditingEveryMemberCostsItsItemsBytesNotAReadPerMember() {
        int members = Integer.getInteger("audit.members", 2_000);
        try (PointStack stack = new PointStack()) {
            List<WriteRequest> accounts = new ArrayList<>();
            List<WriteRequest> deals = new ArrayList<>();
            List<WriteRequest> adjustments = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                String member = String.format("member-%06d", i);
                long balance = 1000 - 100 + (i % 10 == 0 ? 50 : 0);
                Map<String, AttributeValue> account = new HashMap<>(PointsTable.SCHEMA.itemToMap(
                        new PointAccount(member, balance, com.onepoint.shared.domain.AccountStatus.OPEN, T, T, null, null, 4), true));
                account.put(LedgerMovement.ATTRIBUTE, LedgerMovement.use(UUID.randomUUID().toString(), 100, T).toAttribute());
                accounts.add(put(account));
                deals.add(put(DealsTable.SCHEMA.itemToMap(new Deal(UUID.randomUUID().toString(), member, "20", DealType.EARN,
                        100_000, 1000, DealStatus.SUCCESS, null, T, T, null, null, null, 1), true)));
                deals.add(put(DealsTable.SCHEMA.itemToMap(new Deal(UUID.randomUUID().toString(), member, "20", DealType.USE,
                        10_000, 100, DealStatus.SUCCESS, null, T, T, null, null, null, 1), true)));
                if (i % 10 == 0) {
                    adjustments.add(put(AdjustmentsTable.SCHEMA.itemToMap(new Adjustment(UUID.randomUUID().toString(),
                            member, 50, "goodwill credit after a complaint", T), true)));
                }
            }
            write(stack, stack.table(PointsTable.ENV), accounts);
            write(stack, stack.table(DealsTable.ENV), deals);
            write(stack, stack.table(AdjustmentsTable.ENV), adjustments);

            CapacityMeter meter = stack.dynamo.engine().meter();
            meter.reset();
            meter.enable();
            LedgerAudit.Report report = LedgerAuditSchedule.audit(stack.pointEnv, stack.dynamo.client(), stack.bus,
                    java.time.Clock.systemUTC()).all("cost");
            meter.disable();

            assertEquals(members, report.membersChecked());
            assertEquals(List.of(), report.discrepancies());
            double readUnits = meter.usage().values().stream().mapToDouble(CapacityMeter.Usage::readUnits).sum();
            double writeUnits = meter.usage().values().stream().mapToDouble(CapacityMeter.Usage::writeUnits).sum();
            System.out.printf("LedgerAuditCostTest: %d members, %d deals, %d adjustments: %.1f read units (%.4f per member), "
                    + "%.1f write units; per table %s%n", members, deals.size(), adjustments.size(), readUnits,
                    readUnits / members, writeUnits, meter.usage());
            assertEquals(0, writeUnits, "the audit writes nothing");
            assertTrue(readUnits < members / 4.0, readUnits + " read units for " + members + " members");
        }
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private static void write(PointStack stack, String table, List<WriteRequest> items) {
        for (int from = 0; from < items.size(); from += 25) {
            List<WriteRequest> batch = items.subList(from, Math.min(items.size(), from + 25));
            var response = stack.dynamo.client().batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
            assertTrue(response.unprocessedItems().isEmpty() || response.unprocessedItems().get(table) == null
                    || response.unprocessedItems().get(table).isEmpty());
        }
    }
}
