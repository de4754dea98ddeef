package com.onepoint.point;

import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.event.EventType;
import com.onepoint.shared.event.LedgerDiscrepancyDetail;
import com.onepoint.shared.json.Json;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.AdjustmentsTable;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static com.onepoint.shared.dynamo.Items.s;

/**
 * The ledger audit: for every member, the balance on the point account against the sum of the member's movements
 * taken from the SOURCE records (never from the statement):
 * <ul>
 *   <li>an earn SUCCESS: +points − refundedPoints; CANCELLED or FAILED: 0;</li>
 *   <li>a use SUCCESS or CANCELLED: −points + restoredPoints; FAILED: 0;</li>
 *   <li>an adjustment: ±points; a leave: −forfeitedPoints (on the account).</li>
 * </ul>
 * Cost O(members + movements): one strongly consistent parallel Scan of each of points, deals and adjustments,
 * summed per member in memory with longs. The tables are not read at one instant, so a member that moved during the
 * scans can look off; each member found off is therefore checked again, alone, between two reads of its account that
 * show the same version (no movement in between). Only a difference that survives that is reported: logged and
 * published as LedgerDiscrepancy.
 */
public final class LedgerAudit {
    private static final JsonLog LOG = JsonLog.of(LedgerAudit.class);
    private static final int SEGMENTS = 4;
    private static final int CONFIRM_ATTEMPTS = 5;
    private static final int MAX_ENTRIES = 10;

    private final DynamoDbClient db;
    private final EventBridgeClient events;
    private final String busName;
    private final Tables tables;
    private final Clock clock;

    public record Tables(String points, String deals, String adjustments) {
    }

    public record Discrepancy(String memberId, long balance, long sumOfMovements) {
    }

    public record Report(long membersChecked, List<Discrepancy> discrepancies) {
    }

    public LedgerAudit(DynamoDbClient db, EventBridgeClient events, String busName, Tables tables, Clock clock) {
        this.db = db;
        this.events = events;
        this.busName = busName;
        this.tables = tables;
        this.clock = clock;
    }

    /** Every member. */
    public Report all(String requestId) {
        Map<String, long[]> accounts = new ConcurrentHashMap<>(); // memberId → {balance, version}
        Map<String, Long> sums = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(3 * SEGMENTS);
        try {
            List<Future<?>> scans = new ArrayList<>();
            for (int segment = 0; segment < SEGMENTS; segment++) {
                int seg = segment;
                scans.add(pool.submit(() -> scan(tables.points(), seg, null, item -> {
                    String member = Items.str(item, PointsTable.MEMBER_ID);
                    accounts.put(member, new long[]{Items.num(item, PointsTable.BALANCE), version(item)});
                    add(sums, member, forfeitMovement(item));
                })));
                scans.add(pool.submit(() -> scan(tables.deals(), seg, null,
                        item -> add(sums, Items.str(item, DealsTable.MEMBER_ID), dealMovement(item)))));
                scans.add(pool.submit(() -> scan(tables.adjustments(), seg, null,
                        item -> add(sums, Items.str(item, AdjustmentsTable.MEMBER_ID), Items.num(item, AdjustmentsTable.POINTS)))));
            }
            for (Future<?> scan : scans) {
                scan.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("audit interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Set<String> suspects = new java.util.TreeSet<>();
        accounts.forEach((member, account) -> {
            if (account[0] != sums.getOrDefault(member, 0L)) {
                suspects.add(member);
            }
        });
        sums.keySet().stream().filter(m -> !accounts.containsKey(m)).forEach(suspects::add); // movements, no account
        List<Discrepancy> found = suspects.isEmpty() ? List.of() : confirm(suspects);
        return report(requestId, accounts.size(), found);
    }

    /** One member: its account, a Query of its adjustments, and a Scan of deals filtered to it (see the README). */
    public Report one(String requestId, String memberId) {
        List<Discrepancy> found = confirm(Set.of(memberId));
        boolean exists = db.getItem(b -> b.tableName(tables.points()).key(Items.key(PointsTable.MEMBER_ID, memberId))
                .consistentRead(true)).hasItem();
        return report(requestId, exists ? 1 : 0, found);
    }

    /**
     * The suspects checked again: their accounts read, their movements summed, their accounts read again; a member
     * whose account version did not change in between is judged on these figures, one that kept moving is tried again.
     */
    private List<Discrepancy> confirm(Set<String> suspects) {
        Map<String, Discrepancy> verdicts = new TreeMap<>();
        Set<String> open = new java.util.TreeSet<>(suspects);
        for (int attempt = 1; attempt <= CONFIRM_ATTEMPTS && !open.isEmpty(); attempt++) {
            Map<String, long[]> first = readAccounts(open);
            Map<String, Long> sums = new HashMap<>();
            for (String member : open) {
                long[] account = first.get(member);
                sums.put(member, account == null ? 0 : account[2]);
                queryAdjustments(member, item -> add(sums, member, Items.num(item, AdjustmentsTable.POINTS)));
            }
            String only = open.size() == 1 ? open.iterator().next() : null;
            for (int segment = 0; segment < SEGMENTS; segment++) {
                scan(tables.deals(), segment, only, item -> {
                    String member = Items.str(item, DealsTable.MEMBER_ID);
                    if (sums.containsKey(member)) {
                        add(sums, member, dealMovement(item));
                    }
                });
            }
            Map<String, long[]> second = readAccounts(open);
            for (String member : List.copyOf(open)) {
                long[] a = first.get(member);
                long[] b = second.get(member);
                boolean settled = a == null ? b == null : b != null && a[1] == b[1];
                if (settled || attempt == CONFIRM_ATTEMPTS) {
                    long balance = b == null ? 0 : b[0];
                    long sum = sums.get(member);
                    if (balance != sum) {
                        verdicts.put(member, new Discrepancy(member, balance, sum));
                    }
                    open.remove(member);
                }
            }
        }
        return List.copyOf(verdicts.values());
    }

    private Report report(String requestId, long membersChecked, List<Discrepancy> found) {
        Instant now = clock.instant();
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        for (Discrepancy d : found) {
            LOG.warn(requestId, "ledger discrepancy", Map.of("memberId", d.memberId(), "balance", d.balance(),
                    "sumOfMovements", d.sumOfMovements()));
            // the same difference found again on the same day has the same id, so consumers see it once a day
            String eventId = "ledger-audit:" + now.truncatedTo(ChronoUnit.DAYS).toString().substring(0, 10) + ":"
                    + d.memberId() + ":" + d.balance() + ":" + d.sumOfMovements();
            entries.add(PutEventsRequestEntry.builder().eventBusName(busName)
                    .source(EventType.LedgerDiscrepancy.source()).detailType(EventType.LedgerDiscrepancy.name())
                    .time(now).detail(Json.write(new LedgerDiscrepancyDetail(eventId, now.toString(),
                            EventType.SCHEMA_VERSION, d.memberId(), d.balance(), d.sumOfMovements()))).build());
        }
        for (int from = 0; from < entries.size(); from += MAX_ENTRIES) {
            List<PutEventsRequestEntry> batch = entries.subList(from, Math.min(entries.size(), from + MAX_ENTRIES));
            PutEventsResponse response = events.putEvents(b -> b.entries(batch));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                // the run fails, so the schedule (or the admin) runs it again: a discrepancy is never left unpublished
                throw new IllegalStateException(response.failedEntryCount() + " LedgerDiscrepancy events were not published");
            }
        }
        LOG.info(requestId, "ledger audit", Map.of("membersChecked", membersChecked, "discrepancies", found.size()));
        return new Report(membersChecked, found);
    }

    /** memberId → {balance, version, −forfeitedPoints}, read consistently one by one. */
    private Map<String, long[]> readAccounts(Set<String> members) {
        Map<String, long[]> out = new HashMap<>();
        for (String member : members) {
            Map<String, AttributeValue> item = db.getItem(b -> b.tableName(tables.points())
                    .key(Items.key(PointsTable.MEMBER_ID, member)).consistentRead(true)).item();
            if (item != null && !item.isEmpty()) {
                out.put(member, new long[]{Items.num(item, PointsTable.BALANCE), version(item), forfeitMovement(item)});
            }
        }
        return out;
    }

    private void queryAdjustments(String memberId, Consumer<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = db.query(b -> b.tableName(tables.adjustments()).consistentRead(true)
                    .keyConditionExpression("#member = :member")
                    .expressionAttributeNames(Map.of("#member", AdjustmentsTable.MEMBER_ID))
                    .expressionAttributeValues(Map.of(":member", s(memberId))).exclusiveStartKey(from));
            page.items().forEach(each);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /** One segment of a strongly consistent parallel Scan; {@code memberId} non-null filters to that member. */
    private void scan(String table, int segment, String memberId, Consumer<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = db.scan(b -> {
                b.tableName(table).consistentRead(true).segment(segment).totalSegments(SEGMENTS).exclusiveStartKey(from);
                if (memberId != null) {
                    b.filterExpression("#member = :member").expressionAttributeNames(Map.of("#member", DealsTable.MEMBER_ID))
                            .expressionAttributeValues(Map.of(":member", s(memberId)));
                }
            });
            page.items().forEach(each);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /** A deal's signed effect on the balance, as its status and its refunds or restores left it. */
    static long dealMovement(Map<String, AttributeValue> deal) {
        String status = Items.str(deal, DealsTable.STATUS);
        long points = Items.num(deal, DealsTable.POINTS);
        boolean earn = "earn".equals(Items.str(deal, DealsTable.TYPE));
        if (earn) {
            return DealStatus.SUCCESS.name().equals(status) ? points - orZero(deal, DealsTable.REFUNDED_POINTS) : 0;
        }
        if (DealStatus.SUCCESS.name().equals(status) || DealStatus.CANCELLED.name().equals(status)) {
            return orZero(deal, DealsTable.RESTORED_POINTS) - points;
        }
        return 0; // FAILED: nothing moved
    }

    private static long forfeitMovement(Map<String, AttributeValue> account) {
        return -orZero(account, PointsTable.FORFEITED_POINTS);
    }

    private static long version(Map<String, AttributeValue> account) {
        Long v = Items.numOrNull(account, PointsTable.VERSION);
        return v == null ? 0 : v;
    }

    private static long orZero(Map<String, AttributeValue> item, String name) {
        Long v = Items.numOrNull(item, name);
        return v == null ? 0 : v;
    }

    private static void add(Map<String, Long> sums, String member, long points) {
        sums.merge(member, points, Math::addExact);
    }
}
