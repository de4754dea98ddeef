package com.onepoint.dashboard;

import com.onepoint.devkit.streams.StreamTap;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.onepoint.deal.DealHandler;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.events.EventEnvelope;
import com.onepoint.devkit.events.RecordingEventBridge;
import com.onepoint.member.MemberHandler;
import com.onepoint.merchant.MerchantHandler;
import com.onepoint.outbox.OutboxPublisher;
import com.onepoint.shared.aws.Env;
import com.onepoint.devkit.json.Json;
import com.onepoint.shared.table.DashboardTable;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.MembersTable;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.devkit.ApiEvents.get;
import static com.onepoint.devkit.ApiEvents.post;
import static com.onepoint.devkit.ApiEvents.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ledger and the dashboard on one embedded engine: members, merchants and deals are written through their own
 * handlers, the table streams are read back and handed to the DashboardProjector (all three with
 * {@link #projectAll()}, which also shows the projector copes with deals records), or, as template.yaml wires
 * deals, the deals stream goes through the real outbox and reaches the DashboardDealEventsConsumer as the queue's
 * messages ({@link #dealEventMessages()}). The dashboard is read through the DashboardHandler. One per test class.
 */
final class DashboardStack implements AutoCloseable {
    static final String MEMBERS = "MembersTable";
    static final String POINTS = "PointsTable";
    static final String DEALS = "DealsTable";

    final SamTemplate template;
    final LocalDynamo dynamo;
    final Env projectorEnv;
    final Env dashboardEnv;
    final DashboardProjector projector;
    final DashboardHandler dashboard;
    final MemberHandler members;
    private final java.util.concurrent.atomic.AtomicInteger phones = new java.util.concurrent.atomic.AtomicInteger();
    final MerchantHandler merchants;
    final DealHandler deals;
    final DashboardDealEventsConsumer dealEvents;
    final MerchantDaysConsumer merchantDays;
    private final Map<String, StreamTap> taps;
    private final AtomicLong messageIds = new AtomicLong();

    DashboardStack() {
        Clock clock = new TickingClock();
        template = SamTemplate.load(Path.of("template.yaml"));
        dynamo = LocalDynamo.start(template);
        projectorEnv = new Env(template.functionEnvironment("DashboardProjector", dynamo));
        dashboardEnv = new Env(template.functionEnvironment("DashboardFunction", dynamo));
        projector = new DashboardProjector(projectorEnv, dynamo.client());
        dashboard = new DashboardHandler(dashboardEnv, dynamo.client(), clock);
        members = new MemberHandler(new Env(template.functionEnvironment("MemberFunction", dynamo)), dynamo.client(), clock);
        merchants = new MerchantHandler(new Env(template.functionEnvironment("MerchantFunction", dynamo)), dynamo.client(), clock);
        deals = new DealHandler(new Env(template.functionEnvironment("DealFunction", dynamo)), dynamo.client(), clock);
        dealEvents = new DashboardDealEventsConsumer(new Env(template.functionEnvironment("DashboardDealEventsFunction",
                dynamo)), dynamo.client());
        merchantDays = new MerchantDaysConsumer(new Env(template.functionEnvironment("MerchantDaysFunction", dynamo)),
                dynamo.client(), clock);
        taps = Map.of(MEMBERS, tap(MEMBERS), POINTS, tap(POINTS), DEALS, tap(DEALS));
    }

    private StreamTap tap(String logicalId) {
        return new StreamTap(dynamo.streams(), dynamo.streamArn(logicalId));
    }

    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String dashboardTable() {
        return projectorEnv.require(DashboardTable.ENV);
    }

    SourceTables sourceTables() {
        return SourceTables.from(projectorEnv);
    }

    // ------------------------------------------------------------------ the ledger, through its own handlers

    String merchant(String merchantId) {
        expect(201, merchants.handleRequest(post("/merchants", Map.of("merchantId", merchantId, "name", "Shop " + merchantId)), null));
        return merchantId;
    }

    /** Each member a phone of its own: a phone is unique among ACTIVE members. */
    String join(String memberId) {
        String phone = "010-" + (1000_0000 + phones.incrementAndGet());
        expect(201, members.handleRequest(post("/members", Map.of("memberId", memberId, "name", "Member " + memberId,
                "phone", phone, "email", memberId + "@example.com")), null));
        return memberId;
    }

    void leave(String memberId) {
        expect(200, members.handleRequest(request("DELETE", "/members/{memberId}", Map.of("memberId", memberId), null), null));
    }

    String earn(String memberId, String merchantId, long amount) {
        return body(expect(201, deals.handleRequest(post("/deals", Map.of("memberId", memberId, "merchantId", merchantId,
                "type", "earn", "amount", amount)), null))).get("dealId").asText();
    }

    String use(String memberId, String merchantId, long points) {
        return body(expect(201, deals.handleRequest(post("/deals", Map.of("memberId", memberId, "merchantId", merchantId,
                "type", "use", "amount", points * 100, "points", points)), null))).get("dealId").asText();
    }

    /** A use beyond the balance: refused with 409 and recorded as a FAILED deal, which the dashboard lists too. */
    String refusedUse(String memberId, String merchantId, long points) {
        return body(expect(409, deals.handleRequest(post("/deals", Map.of("memberId", memberId, "merchantId", merchantId,
                "type", "use", "amount", points * 100, "points", points)), null))).get("error").get("details")
                .get("deal").get("dealId").asText();
    }

    void cancel(String dealId) {
        expect(200, deals.handleRequest(request("POST", "/deals/{dealId}/cancel", Map.of("dealId", dealId), null), null));
    }

    /** A use's cancellation is accepted at once (202); its points are restored later, through the restore queue. */
    void cancelUse(String dealId) {
        expect(202, deals.handleRequest(request("POST", "/deals/{dealId}/cancel", Map.of("dealId", dealId), null), null));
    }

    // ------------------------------------------------------------------ streams and the projector

    /** The records the table's stream received since the last call, as Lambda would deliver them. */
    DynamodbEvent changes(String tableLogicalId) {
        return taps.get(tableLogicalId).next();
    }

    StreamsEventResponse project(DynamodbEvent event) {
        return projector.handleRequest(event, null);
    }

    /** Projects everything the three streams received so far, as the three event source mappings would. */
    void projectAll() {
        for (String table : List.of(MEMBERS, POINTS, DEALS)) {
            StreamsEventResponse response = project(changes(table));
            assertEquals(List.of(), response.getBatchItemFailures(), table + " batch must project without failures");
        }
    }

    /** The members and points streams through the projector, as their event source mappings deliver them. */
    void projectMembersAndPoints() {
        for (String table : List.of(MEMBERS, POINTS)) {
            StreamsEventResponse response = project(changes(table));
            assertEquals(List.of(), response.getBatchItemFailures(), table + " batch must project without failures");
        }
    }

    // ------------------------------------------------------------------ deals: outbox, bus, the dashboard's queue

    /**
     * The deals stream's records since the last call, published by the real OutboxPublisher, each event as the SQS
     * message the rule puts on the dashboard's queue (the EventBridge envelope as the body), in publishing order.
     */
    List<SQSEvent.SQSMessage> dealEventMessages() {
        RecordingEventBridge bus = RecordingEventBridge.healthy();
        Env outboxEnv = new Env(Map.of("EVENT_BUS_NAME", "onepoint-dev", MembersTable.ENV, sourceTables().members(),
                DealsTable.ENV, sourceTables().deals(), "ADJUSTMENTS_TABLE", "onepoint-dev-adjustments"));
        StreamsEventResponse published = new OutboxPublisher(outboxEnv, bus).handleRequest(changes(DEALS), null);
        assertEquals(List.of(), published.getBatchItemFailures(), "the outbox publishes every deal change");
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (PutEventsRequestEntry entry : bus.accepted) {
            EventEnvelope envelope;
            try {
                envelope = new EventEnvelope(UUID.randomUUID().toString(), entry.detailType(), entry.source(),
                        entry.time() == null ? Instant.now() : entry.time(), List.of(), Json.read(entry.detail()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            messages.add(message(envelope.toJson()));
        }
        return messages;
    }

    /** An SQS message as Lambda hands it over, with a fresh message id. */
    SQSEvent.SQSMessage message(String body) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("msg-" + messageIds.incrementAndGet());
        m.setBody(body);
        m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        m.setEventSource("aws:sqs");
        return m;
    }

    SQSBatchResponse consume(List<SQSEvent.SQSMessage> messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(new ArrayList<>(messages));
        return dealEvents.handleRequest(event, null);
    }

    /** The messages as the merchant-days queue hands them to MerchantDaysFunction. */
    SQSBatchResponse countDays(List<SQSEvent.SQSMessage> messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(new ArrayList<>(messages));
        return merchantDays.handleRequest(event, null);
    }

    /** Members and points through the projector, deals through outbox, queue and consumer: the template's wiring. */
    void deliverAsTheTemplateWires() {
        projectMembersAndPoints();
        SQSBatchResponse response = consume(dealEventMessages());
        assertEquals(List.of(), response.getBatchItemFailures(), "deal events must apply without failures");
    }

    // ------------------------------------------------------------------ the dashboard

    APIGatewayProxyResponseEvent getDashboard(String memberId) {
        return dashboard.handleRequest(get("/dashboard/members/{memberId}", Map.of("memberId", memberId)), null);
    }

    JsonNode view(String memberId) {
        return body(expect(200, getDashboard(memberId)));
    }

    Map<String, AttributeValue> dashboardItem(String memberId, String sk) {
        Map<String, AttributeValue> item = dynamo.client().getItem(b -> b.tableName(dashboardTable())
                .key(Map.of(DashboardTable.MEMBER_ID, AttributeValue.fromS(memberId), DashboardTable.SK, AttributeValue.fromS(sk)))).item();
        return item == null ? Map.of() : item;
    }

    /** Every item of a dashboard-shaped table, ordered by key, for whole-table comparisons. */
    List<Map<String, AttributeValue>> items(String table) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        dynamo.client().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(all::add);
        all.sort(Comparator.comparing((Map<String, AttributeValue> i) -> i.get(DashboardTable.MEMBER_ID).s())
                .thenComparing(i -> i.get(DashboardTable.SK).s()));
        return all;
    }


    @Override
    public void close() {
        dynamo.close();
    }
}
