package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.billing.BillingWorld.failures;
import static com.onepoint.billing.DealStream.at;
import static com.onepoint.billing.DealStream.batch;
import static com.onepoint.billing.DealStream.use;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MerchantSettled is published from the billing table's own stream (read from the engine here): one event per
 * settlement, none for view updates, and a failed publish is retried from the record that failed.
 */
class SettlementPublisherTest {
    static final Instant NOW = at("2026-08-05T10:00:00+09:00");
    static final Instant JULY = at("2026-07-20T18:00:00+09:00");
    private static BillingWorld world;
    private static TableStream billingStream;
    private final DealStream deals = new DealStream();

    @BeforeAll
    static void start() {
        world = new BillingWorld(NOW);
        billingStream = new TableStream(world.dynamo, "BillingTable");
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @BeforeEach
    void forgetEarlierRecords() {
        billingStream.drain();
        world.events.accepted.clear();
    }

    private static List<JsonNode> details() {
        return world.events.accepted.stream().map(e -> {
            try {
                return Json.read(e.detail());
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        }).toList();
    }

    @Test
    void eachSettlementIsPublishedOnceAndViewUpdatesAreNot() {
        String shop = world.merchant();
        world.project(batch(deals.inserted(use(shop, 100, JULY)), deals.inserted(use(shop, 200, JULY))));
        world.project(batch(deals.inserted(use(shop, 200, JULY))));
        expect(201, world.settle(shop, "202607"));
        expect(200, world.settle(shop, "202607"));
        world.project(batch(deals.inserted(use(shop, 5, JULY)))); // carried into August: another view update

        DynamodbEvent changes = billingStream.drain();
        StreamsEventResponse response = world.publisher.handleRequest(changes, null);

        assertEquals(List.of(), failures(response));
        assertEquals(4, changes.getRecords().size(), "two view updates, the settlement, August's view");
        assertEquals(1, world.events.accepted.size());
        PutEventsRequestEntry entry = world.events.accepted.get(0);
        assertEquals(BillingWorld.BUS, entry.eventBusName());
        assertEquals("onepoint.billing", entry.source());
        assertEquals("MerchantSettled", entry.detailType());
        assertEquals(NOW, entry.time());
        JsonNode detail = details().get(0);
        assertEquals("settlement:" + shop + ":202607", detail.get("eventId").asText());
        assertEquals(NOW.toString(), detail.get("occurredAt").asText());
        assertEquals(1, detail.get("schemaVersion").asInt());
        assertEquals(shop, detail.get("merchantId").asText());
        assertEquals("202607", detail.get("billingMonth").asText());
        assertEquals(500, detail.get("usedPoints").asLong());
        assertEquals(3, detail.get("useCount").asLong());
        assertEquals(0, detail.get("adjustments").asLong());
        assertEquals(490, detail.get("settlementAmount").asLong());
    }

    @Test
    void aFailedPublishIsReportedAtItsRecordAndTheRetryKeepsTheEventId() {
        List<String> shops = List.of(world.merchant(), world.merchant(), world.merchant());
        for (String shop : shops) {
            world.project(batch(deals.inserted(use(shop, 10, JULY))));
        }
        billingStream.drain();
        for (String shop : shops) {
            expect(201, world.settle(shop, "202607"));
        }
        DynamodbEvent settlements = billingStream.drain();
        assertEquals(3, settlements.getRecords().size());
        world.events.failNext.set(1);

        StreamsEventResponse failed = world.publisher.handleRequest(settlements, null);

        assertEquals(List.of(settlements.getRecords().get(0).getDynamodb().getSequenceNumber()), failures(failed));
        // Lambda retries from the reported record: the whole batch again
        assertEquals(List.of(), failures(world.publisher.handleRequest(settlements, null)));
        List<String> ids = details().stream().map(d -> d.get("eventId").asText()).collect(Collectors.toList());
        assertEquals(shops.stream().map(s -> "settlement:" + s + ":202607").sorted().toList(),
                ids.stream().distinct().sorted().toList(), "every settlement published, with its deterministic id");
    }
}
