package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import org.joda.time.DateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.billing.DealStream.at;
import static com.onepoint.billing.DealStream.batch;
import static com.onepoint.billing.DealStream.use;
import static com.onepoint.devkit.ApiEvents.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The monthly run settles exactly the merchants active in the previous month, once. */
class MonthlySettlementTest {
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    /** Its own month (April 2026), so the other tests sharing nothing with it cannot add merchants to it. */
    static final Instant RUN = at("2026-05-01T00:30:00+09:00");
    private static BillingWorld world;
    private final DealStream stream = new DealStream();

    @BeforeAll
    static void start() {
        world = new BillingWorld(RUN);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    static ScheduledEvent scheduledAt(Instant time) {
        return new ScheduledEvent().withSource("aws.scheduler").withDetailType("Scheduled Event")
                .withTime(new DateTime(time.toEpochMilli())).withDetail(Map.of());
    }

    @Test
    void theMonthToSettleIsThePreviousOneInTheBusinessZone() {
        assertEquals("202607", MonthlySettlement.monthToSettle(at("2026-08-01T00:30:00+09:00"), SEOUL));
        assertEquals("202607", MonthlySettlement.monthToSettle(at("2026-08-31T23:59:59+09:00"), SEOUL));
        assertEquals("202606", MonthlySettlement.monthToSettle(at("2026-07-31T23:59:59+09:00"), SEOUL));
        assertEquals("202512", MonthlySettlement.monthToSettle(at("2026-01-01T00:30:00+09:00"), SEOUL));
    }

    @Test
    void theScheduledTimeInDetailWinsOverTheEnvelopeAndAPlaceholderIsSkipped() {
        ScheduledEvent event = scheduledAt(at("2026-09-02T00:00:00+09:00"))
                .withDetail(Map.of(MonthlySettlement.SCHEDULED_TIME, "2026-07-31T15:30:00Z"));
        assertEquals(Instant.parse("2026-07-31T15:30:00Z"), world.monthly.scheduledTime(event));

        event.setDetail(Map.of(MonthlySettlement.SCHEDULED_TIME, "<aws.scheduler.scheduled-time>"));
        assertEquals(at("2026-09-02T00:00:00+09:00"), world.monthly.scheduledTime(event));

        assertEquals(RUN, world.monthly.scheduledTime(new ScheduledEvent()));
    }

    @Test
    void settlesExactlyTheMerchantsActiveLastMonthAndARerunSettlesNothing() {
        Instant april = at("2026-04-30T23:59:00+09:00");
        String a = world.merchant();
        String b = world.merchant();
        String mayOnly = world.merchant();
        String idle = world.merchant();
        String settledByHand = world.merchant();
        world.project(batch(stream.inserted(use(a, 100, april)), stream.inserted(use(a, 200, april)),
                stream.inserted(use(a, 200, april)), stream.inserted(use(b, 7, at("2026-04-01T00:00:00+09:00"))),
                stream.inserted(use(mayOnly, 50, at("2026-05-01T00:00:00+09:00"))),
                stream.inserted(use(settledByHand, 1, april))));
        expect(201, world.settle(settledByHand, "202604"));

        Map<String, Object> run = world.monthly.handleRequest(scheduledAt(RUN), null);

        assertEquals("202604", run.get("billingMonth"));
        assertEquals(2, run.get("merchants"), "a and b; the one settled by hand is not even read again");
        assertEquals(2, run.get("settled"));
        assertEquals(490, body(expect(200, world.settlement(a, "202604"))).get("settlementAmount").asLong());
        assertEquals(7, body(expect(200, world.settlement(b, "202604"))).get("settlementAmount").asLong(), "6.86");
        assertEquals(404, world.settlement(mayOnly, "202604").getStatusCode());
        assertEquals(404, world.settlement(mayOnly, "202605").getStatusCode(), "May is not over");
        assertEquals(404, world.settlement(idle, "202604").getStatusCode());

        Map<String, Object> rerun = world.monthly.handleRequest(scheduledAt(RUN.plusSeconds(3 * 3600)), null);

        assertEquals(0, rerun.get("merchants"));
        assertEquals(0, rerun.get("settled"));
    }

    @Test
    void aMerchantThatCannotBeSettledFailsTheRunAfterTheOthersSoTheSchedulerRetries() {
        Instant march = at("2026-03-10T12:00:00+09:00");
        String known = world.merchant();
        world.project(batch(stream.inserted(use(known, 10, march)), stream.inserted(use("unregistered", 10, march))));

        assertThrows(IllegalStateException.class,
                () -> world.monthly.handleRequest(scheduledAt(at("2026-04-01T00:30:00+09:00")), null));

        assertEquals(200, world.settlement(known, "202603").getStatusCode(), "the others are settled");
        IllegalStateException again = assertThrows(IllegalStateException.class,
                () -> world.monthly.handleRequest(scheduledAt(at("2026-04-01T03:00:00+09:00")), null));
        assertTrue(again.getMessage().startsWith("1 of 1 merchants"), "the retry only does what is left: " + again.getMessage());
    }

    @ParameterizedTest
    @Event(value = "events/billing-schedule.json", type = ScheduledEvent.class)
    void theScheduleFixtureSettlesJuly(ScheduledEvent event) {
        world.clock.set(at("2026-08-01T00:30:05+09:00"));
        try {
            String shop = world.merchant("20", null);
            world.project(batch(stream.inserted(use(shop, 100, at("2026-07-31T23:59:00+09:00"))),
                    stream.inserted(use(shop, 900, at("2026-08-01T00:00:00+09:00")))));

            Map<String, Object> run = world.monthly.handleRequest(event, null);

            assertEquals("202607", run.get("billingMonth"));
            assertEquals(1, run.get("settled"));
            assertEquals(98, body(expect(200, world.settlement("20", "202607"))).get("settlementAmount").asLong());
        } finally {
            world.clock.set(RUN);
        }
    }
}
