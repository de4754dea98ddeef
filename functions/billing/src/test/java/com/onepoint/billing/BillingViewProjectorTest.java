package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.table.BillingTable;
import com.onepoint.shared.table.BillingTable.View;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.billing.BillingWorld.failures;
import static com.onepoint.billing.DealStream.at;
import static com.onepoint.billing.DealStream.batch;
import static com.onepoint.billing.DealStream.sequenceOf;
import static com.onepoint.billing.DealStream.use;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deals stream → billing view: what counts, which month, and exactly once under every kind of redelivery. */
class BillingViewProjectorTest {
    static final Instant NOW = at("2026-08-05T10:00:00+09:00");
    static final Instant JULY = at("2026-07-15T12:00:00+09:00");
    private static BillingWorld world;
    private final DealStream stream = new DealStream();

    @BeforeAll
    static void start() {
        world = new BillingWorld(NOW);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void usesAddUpAndCancellationsNetOutOfTheirMonth() {
        String shop = world.merchant();
        Deal cancelledLater = use(shop, 300, JULY);
        Deal cancelledSameBatch = use(shop, 50, JULY);
        assertEquals(List.of(), failures(world.project(batch(
                stream.inserted(use(shop, 100, JULY)), stream.inserted(use(shop, 200, JULY)),
                stream.inserted(use(shop, 200, JULY)), stream.inserted(cancelledLater),
                stream.inserted(cancelledSameBatch), stream.cancelled(cancelledSameBatch, NOW)))));
        assertEquals(List.of(), failures(world.project(batch(stream.cancelled(cancelledLater, NOW)))));

        View july = world.view(shop, "202607");

        assertEquals(850, july.grossUsedPoints());
        assertEquals(5, july.grossUseCount());
        assertEquals(350, july.cancelledPoints());
        assertEquals(2, july.cancelledCount());
        assertEquals(500, july.usedPoints());
        assertEquals(3, july.useCount());
        assertEquals(0, july.adjustments());
    }

    @Test
    void pointsRefundedFromAUseLeaveTheMonthsUsedPointsOnceEachAndTheCancelTheRest() {
        String shop = world.merchant();
        Deal used = use(shop, 300, JULY);
        Deal once = used.refunded("r-1", 0, 100);
        Deal twice = once.refunded("r-2", 0, 50);
        DynamodbEvent.DynamodbStreamRecord first = stream.refunded(used, "r-1", 100);
        DynamodbEvent.DynamodbStreamRecord second = stream.refunded(once, "r-2", 50);
        assertEquals(List.of(), failures(world.project(batch(stream.inserted(used), first, second,
                stream.inserted(use(shop, 200, JULY))))));
        assertEquals(List.of(), failures(world.project(batch(first, second))), "a redelivery counts nothing again");

        View july = world.view(shop, "202607");
        assertEquals(350, july.usedPoints(), "500 used, 150 of them refunded");
        assertEquals(2, july.useCount(), "a refunded use still happened");

        assertEquals(List.of(), failures(world.project(batch(stream.cancelled(twice, NOW)))));
        View after = world.view(shop, "202607");
        assertEquals(200, after.usedPoints(), "the cancel takes off the 150 the refunds left, not the 300");
        assertEquals(1, after.useCount());
        Deal earn = DealStream.deal(shop, DealType.EARN, 1000, DealStatus.SUCCESS, JULY);
        assertEquals(List.of(), failures(world.project(batch(stream.inserted(earn), stream.refunded(earn, "r-3", 10)))));
        assertEquals(200, world.view(shop, "202607").usedPoints(), "an earn's refund is no merchant's bill");
    }

    @Test
    void earnsFailedUsesAndLaterChangesOfACancelledUseCountNothing() {
        String shop = world.merchant();
        Deal cancelled = use(shop, 40, JULY);
        DynamodbEvent.DynamodbStreamRecord cancellation = stream.cancelled(cancelled, NOW);
        Deal earn = DealStream.deal(shop, DealType.EARN, 1000, DealStatus.SUCCESS, JULY);
        assertEquals(List.of(), failures(world.project(batch(
                stream.inserted(earn), stream.cancelled(earn, NOW),
                stream.inserted(DealStream.deal(shop, DealType.USE, 9999, DealStatus.FAILED, JULY)),
                stream.inserted(cancelled), cancellation, stream.restored(cancellation),
                stream.inserted(use(shop, 7, JULY))))));

        View july = world.view(shop, "202607");

        assertEquals(47, july.grossUsedPoints());
        assertEquals(40, july.cancelledPoints());
        assertEquals(7, july.usedPoints());
        assertEquals(1, july.useCount());
    }

    @Test
    void aDealBelongsToItsMonthInTheBusinessTimeZone() {
        String shop = world.merchant();
        world.project(batch(
                stream.inserted(use(shop, 10, at("2026-07-31T23:59:00+09:00"))),   // 14:59 UTC on July 31st
                stream.inserted(use(shop, 20, at("2026-08-01T00:00:00+09:00"))),   // still July 31st in UTC
                stream.inserted(use(shop, 40, at("2026-07-01T00:00:00+09:00"))),   // June 30th in UTC
                stream.inserted(use(shop, 80, at("2026-06-30T23:59:59+09:00")))));

        assertEquals(50, world.view(shop, "202607").usedPoints());
        assertEquals(20, world.view(shop, "202608").usedPoints());
        assertEquals(80, world.view(shop, "202606").usedPoints());
    }

    @Test
    void aRedeliveredBatchChangesNothing() {
        String shop = world.merchant();
        Deal cancelled = use(shop, 30, JULY);
        DynamodbEvent event = batch(stream.inserted(use(shop, 100, JULY)), stream.inserted(use(shop, 200, JULY)),
                stream.inserted(cancelled), stream.cancelled(cancelled, NOW));
        world.project(event);
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> before = world.item(shop, "202607");

        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), failures(world.project(event)));
        }

        assertEquals(before, world.item(shop, "202607"), "not even viewVersion or updatedAt moved");
        assertEquals(300, world.view(shop, "202607").usedPoints());
    }

    @Test
    void overlappingBatchesAfterAPartialFailureCountEveryChangeOnce() {
        String shopA = world.merchant();
        String shopB = world.merchant();
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        long expectedA = 0;
        long expectedB = 0;
        for (int i = 0; i < 60; i++) { // 60 + 60 changes: more than one transaction of 100 items
            records.add(stream.inserted(use(shopA, i + 1, JULY)));
            expectedA += i + 1;
            records.add(stream.inserted(use(shopB, 1000 + i, JULY)));
            expectedB += 1000 + i;
        }
        // the transaction that carries shop B's view update fails once, as a dropped connection would
        AtomicInteger failures = new AtomicInteger(1);
        BillingViewProjector flaky = world.projectorOn(FaultyDynamo.failingTransactions(world.dynamo.client(),
                request -> request.transactItems().stream().anyMatch(item -> item.update() != null
                        && item.update().key().get(BillingTable.MERCHANT_ID).s().equals(shopB)), failures));

        StreamsEventResponse first = flaky.handleRequest(batch(records), null);

        assertEquals(List.of(sequenceOf(records.get(1))), failures(first), "resume at shop B's first record");
        assertEquals(expectedA, world.view(shopA, "202607").usedPoints(), "shop A was applied");
        assertEquals(0, world.view(shopB, "202607").usedPoints());

        // Lambda resumes at the reported record; then, as bisection would, both halves of the batch arrive again
        assertEquals(List.of(), failures(world.project(batch(records.subList(1, records.size())))));
        assertEquals(List.of(), failures(world.project(batch(records.subList(0, 60)))));
        assertEquals(List.of(), failures(world.project(batch(records.subList(60, 120)))));

        View a = world.view(shopA, "202607");
        View b = world.view(shopB, "202607");
        assertEquals(expectedA, a.usedPoints());
        assertEquals(60, a.useCount());
        assertEquals(expectedB, b.usedPoints());
        assertEquals(60, b.useCount());
    }

    @Test
    void aBusyMerchantIsOneWritePerBatchNotOnePerDeal() {
        String shop = world.merchant();
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (int i = 0; i < 99; i++) {
            records.add(stream.inserted(use(shop, 1, JULY)));
        }

        assertEquals(List.of(), failures(world.project(batch(records))));

        View july = world.view(shop, "202607");
        assertEquals(99, july.usedPoints());
        assertEquals(1, july.viewVersion(), "99 deals, one view write");
    }

    @Test
    void anUnreadableRecordStopsTheBatchThereAndIsReported() {
        String shop = world.merchant();
        DynamodbEvent.DynamodbStreamRecord poison = stream.inserted(use(shop, 5, JULY));
        Map<String, AttributeValue> image = new HashMap<>(poison.getDynamodb().getNewImage());
        image.put("points", new AttributeValue().withN("not-a-number"));
        poison.getDynamodb().setNewImage(image);
        DynamodbEvent event = batch(stream.inserted(use(shop, 1, JULY)), stream.inserted(use(shop, 2, JULY)), poison,
                stream.inserted(use(shop, 4, JULY)));

        StreamsEventResponse response = world.project(event);

        assertEquals(List.of(sequenceOf(poison)), failures(response));
        assertEquals(3, world.view(shop, "202607").usedPoints(), "what came before the poison record is applied, nothing after");
    }

    @Test
    void changesLandingInASettledMonthAreCarriedIntoTheNextOpenMonth() {
        String shop = world.merchant();
        Deal used = use(shop, 300, JULY);
        world.project(batch(stream.inserted(use(shop, 100, JULY)), stream.inserted(used)));
        expect(201, world.settle(shop, "202607"));

        // a late use of July (occurredAt may be 35 days back) and the cancellation of a settled use
        Deal late = use(shop, 70, at("2026-07-31T22:00:00+09:00"));
        StreamsEventResponse response = world.project(batch(stream.inserted(late), stream.cancelled(used, NOW),
                stream.inserted(use(shop, 5, at("2026-08-02T10:00:00+09:00")))));

        assertEquals(List.of(), failures(response));
        View july = world.view(shop, "202607");
        assertEquals(400, july.usedPoints(), "the settled month is frozen");
        View august = world.view(shop, "202608");
        assertEquals(5, august.usedPoints());
        assertEquals(70, august.carriedInUsedPoints());
        assertEquals(300, august.carriedInCancelledPoints());
        assertEquals(-230, august.adjustments());
    }

    @Test
    void aChangeIsCarriedPastEverySettledMonth() {
        String shop = world.merchant();
        Deal used = use(shop, 90, JULY);
        world.project(batch(stream.inserted(used), stream.inserted(use(shop, 1, at("2026-09-15T10:00:00+09:00")))));
        world.clock.set(at("2027-01-10T10:00:00+09:00"));
        try {
            for (String month : List.of("202607", "202608", "202609", "202610", "202611", "202612")) {
                expect(201, world.settle(shop, month)); // with and without view items
            }

            StreamsEventResponse response = world.project(batch(stream.cancelled(used, world.clock.instant())));

            assertEquals(List.of(), failures(response));
        } finally {
            world.clock.set(NOW);
        }
        assertEquals(0, world.view(shop, "202608").adjustments(), "August was settled too");
        assertEquals(-90, world.view(shop, "202701").adjustments());
        assertEquals(1, world.view(shop, "202701").carriedInCancelledCount());
        assertTrue(world.item(shop, "202701").containsKey(BillingTable.VIEW_VERSION));
    }
}
