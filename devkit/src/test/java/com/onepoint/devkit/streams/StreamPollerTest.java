package com.onepoint.devkit.streams;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.ApiActivity;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.PollingThread;
import com.onepoint.devkit.Props;
import com.onepoint.devkit.RecordingInvoker;
import com.onepoint.devkit.SharedCloud;
import com.onepoint.devkit.TestTemplates;
import com.onepoint.devkit.UnsupportedTemplateException;
import com.onepoint.devkit.sqs.LocalSqs;
import com.onepoint.devkit.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(SharedCloud.class)
class StreamPollerTest {
    private static LocalDynamo dynamo() {
        return SharedCloud.cloud().dynamo();
    }

    private static LocalSqs sqs() {
        return SharedCloud.cloud().sqs();
    }

    private static void put(String table, String dealId, String status) {
        dynamo().client().putItem(b -> b.tableName(dynamo().ref(table)).item(Map.of(
                "dealId", AttributeValue.fromS(dealId), "status", AttributeValue.fromS(status))));
    }

    private static List<String> deliveries(RecordingInvoker invoker, String functionId) {
        return invoker.events(functionId).stream().flatMap(e -> ((DynamodbEvent) e).getRecords().stream())
                .map(r -> r.getEventName() + " " + r.getDynamodb().getKeys().get("dealId").getS()).toList();
    }

    private static List<String> ids(Object event) {
        return ((DynamodbEvent) event).getRecords().stream()
                .map(r -> r.getDynamodb().getKeys().get("dealId").getS()).toList();
    }

    /** ProjectionFunction's DynamoDB event of the template, started by EventSources; its filter drops REMOVE. */
    @Test
    void deliversInsertAndModifyInOrderAndFiltersOutRemove() {
        put("DealsTable", "o-1", "SUCCESS");
        put("DealsTable", "o-1", "CANCELLED");
        put("DealsTable", "o-2", "SUCCESS");
        dynamo().client().deleteItem(b -> b.tableName(dynamo().ref("DealsTable")).key(Map.of("dealId", AttributeValue.fromS("o-2"))));
        put("DealsTable", "o-3", "SUCCESS");
        TestTemplates.await(Duration.ofSeconds(10), "o-3 delivered",
                () -> deliveries(SharedCloud.invoker(), "ProjectionFunction").contains("INSERT o-3"));
        assertEquals(List.of("INSERT o-1", "MODIFY o-1", "INSERT o-2", "INSERT o-3"),
                deliveries(SharedCloud.invoker(), "ProjectionFunction").stream().filter(d -> d.contains(" o-")).toList());
        DynamodbEvent.DynamodbStreamRecord modify = SharedCloud.invoker().events("ProjectionFunction").stream()
                .flatMap(e -> ((DynamodbEvent) e).getRecords().stream()).filter(r -> r.getEventName().equals("MODIFY"))
                .findFirst().orElseThrow();
        assertEquals("SUCCESS", modify.getDynamodb().getOldImage().get("status").getS());
        assertEquals("CANCELLED", modify.getDynamodb().getNewImage().get("status").getS());
        assertEquals(dynamo().streamArn("DealsTable"), modify.getEventSourceARN());
    }

    /** Records written before the poller starts (TRIM_HORIZON) arrive as one batch of 3. */
    @Test
    void reportedItemFailureIsRetriedFromItsSequenceNumber() {
        put("PartialTable", "a", "ok");
        put("PartialTable", "b", "fails once");
        put("PartialTable", "c", "ok");
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        RecordingInvoker invoker = new RecordingInvoker().answer("Partial", event -> new StreamsEventResponse(
                ((DynamodbEvent) event).getRecords().stream()
                        .filter(r -> r.getDynamodb().getKeys().get("dealId").getS().equals("b") && failedOnce.add("b"))
                        .map(r -> new StreamsEventResponse.BatchItemFailure(r.getDynamodb().getSequenceNumber())).toList()));
        StreamPoller.Config config = StreamPoller.config(new Props(Map.of(
                "Stream", dynamo().streamArn("PartialTable"), "StartingPosition", "TRIM_HORIZON",
                "MaximumRetryAttempts", 2, "FunctionResponseTypes", List.of("ReportBatchItemFailures")), "Partial"), sqs());
        try (StreamPoller poller = new StreamPoller("Partial", "arn:partial", config, dynamo().streams(), sqs().client(),
                invoker, Clock.systemUTC()).start()) {
            TestTemplates.await(Duration.ofSeconds(10), "two invocations", () -> invoker.count("Partial") == 2);
        }
        assertEquals(List.of("a", "b", "c"), ids(invoker.events("Partial").get(0)));
        assertEquals(List.of("b", "c"), ids(invoker.events("Partial").get(1)));
    }

    /** More records than one GetRecords page (1,000) wait in the buffer and still go out in order, BatchSize each. */
    @Test
    void aBacklogOfSeveralPagesIsDeliveredInOrderInBatchesOfBatchSize() {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            String id = String.format("b-%04d", i);
            put("BacklogTable", id, "x");
            written.add(id);
        }
        RecordingInvoker invoker = new RecordingInvoker();
        StreamPoller.Config config = StreamPoller.config(new Props(Map.of("Stream", dynamo().streamArn("BacklogTable"),
                "StartingPosition", "TRIM_HORIZON", "BatchSize", 100), "Backlog"), sqs());
        try (StreamPoller poller = new StreamPoller("Backlog", "arn:backlog", config, dynamo().streams(), sqs().client(),
                invoker, Clock.systemUTC()).start()) {
            TestTemplates.await(Duration.ofSeconds(30), "2,500 records delivered", () -> invoker.events("Backlog").stream()
                    .mapToInt(e -> ((DynamodbEvent) e).getRecords().size()).sum() >= 2500);
        }
        assertEquals(written, invoker.events("Backlog").stream().flatMap(e -> ids(e).stream()).toList());
        assertTrue(invoker.events("Backlog").stream().allMatch(e -> ((DynamodbEvent) e).getRecords().size() <= 100));
        assertEquals(25, invoker.count("Backlog"), "full batches of 100");
    }

    /**
     * An idle poller backs off to one poll a second (5 a second while busy); a record written then still arrives.
     */
    @Test
    void anIdlePollerBacksOffAndStillDeliversTheNextRecord() throws Exception {
        AtomicInteger getRecords = new AtomicInteger();
        DynamoDbStreamsClient real = dynamo().streams();
        DynamoDbStreamsClient counting = (DynamoDbStreamsClient) Proxy.newProxyInstance(
                DynamoDbStreamsClient.class.getClassLoader(), new Class<?>[] {DynamoDbStreamsClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getRecords")) {
                        getRecords.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        RecordingInvoker invoker = new RecordingInvoker();
        StreamPoller.Config config = StreamPoller.config(new Props(Map.of("Stream", dynamo().streamArn("IdleTable"),
                "StartingPosition", "TRIM_HORIZON"), "Idle"), sqs());
        try (StreamPoller poller = new StreamPoller("Idle", "arn:idle", config, counting, sqs().client(), invoker,
                Clock.systemUTC()).start()) {
            Thread.sleep(5000);
            // 200, 400, 800 ms, then every second: at most 7 polls in 5 s (25 at a steady 200 ms)
            assertTrue(getRecords.get() <= 8, "GetRecords calls in 5 idle seconds: " + getRecords.get());
            put("IdleTable", "i-1", "x");
            TestTemplates.await(Duration.ofSeconds(5), "i-1 delivered", () -> invoker.count("Idle") == 1);
        }
        assertEquals(List.of("i-1"), ids(invoker.events("Idle").get(0)));
    }

    /**
     * While the local API serves a request the consumer defers its next batch, at most {@link PollingThread#MAX_YIELD}:
     * of a backlog of 3 batches one comes while the API stays busy, and the rest at once when it is idle.
     */
    @Test
    void whileTheApiIsBusyAConsumerTakesOneBatchPerYieldAndTheRestOnceItIsIdle() throws Exception {
        for (int i = 0; i < 30; i++) {
            put("YieldTable", String.format("y-%02d", i), "x");
        }
        RecordingInvoker invoker = new RecordingInvoker();
        StreamPoller.Config config = StreamPoller.config(new Props(Map.of("Stream", dynamo().streamArn("YieldTable"),
                "StartingPosition", "TRIM_HORIZON", "BatchSize", 10), "Yield"), sqs());
        ApiActivity.begin();
        boolean busy = true;
        try (StreamPoller poller = new StreamPoller("Yield", "arn:yield", config, dynamo().streams(), sqs().client(),
                invoker, Clock.systemUTC()).start()) {
            Thread.sleep(PollingThread.MAX_YIELD.toMillis() / 2);
            assertEquals(0, invoker.count("Yield"), "no batch in the first half of the yield to a busy API");
            TestTemplates.await(Duration.ofSeconds(5), "a batch while busy", () -> invoker.count("Yield") >= 1);
            Thread.sleep(PollingThread.MAX_YIELD.toMillis() / 2);
            assertEquals(1, invoker.count("Yield"), "the next batch waits for the API too");
            ApiActivity.end();
            busy = false;
            long idle = System.nanoTime();
            TestTemplates.await(Duration.ofSeconds(5), "the rest once idle", () -> invoker.count("Yield") == 3);
            // Two more yields would take 2 x MAX_YIELD; half of one is "at once" with room for a loaded machine.
            assertTrue(System.nanoTime() - idle < PollingThread.MAX_YIELD.toNanos() / 2,
                    "the idle API released the next batches at once");
        } finally {
            if (busy) {
                ApiActivity.end();
            }
        }
        assertEquals(IntStream.range(0, 30).mapToObj(i -> String.format("y-%02d", i)).toList(),
                invoker.events("Yield").stream().flatMap(e -> ids(e).stream()).toList());
    }

    @Test
    void bisectIsolatesAPoisonRecordAndSendsItsBatchInfoToTheOnFailureQueue() throws Exception {
        for (String id : List.of("p1", "p2", "poison", "p4")) {
            put("BisectTable", id, "x");
        }
        RecordingInvoker invoker = new RecordingInvoker().answer("Bisect", event -> {
            if (ids(event).contains("poison")) {
                throw new IllegalStateException("cannot project poison");
            }
            return null;
        });
        StreamPoller.Config config = StreamPoller.config(new Props(Map.of(
                "Stream", dynamo().streamArn("BisectTable"), "StartingPosition", "TRIM_HORIZON", "BatchSize", 10,
                "BisectBatchOnFunctionError", true, "MaximumRetryAttempts", 1,
                "DestinationConfig", Map.of("OnFailure", Map.of("Type", "SQS", "Destination", sqs().getAtt("BisectFailures", "Arn")))),
                "Bisect"), sqs());
        assertEquals("DynamoDB stream of onepoint-test-BisectTable (TRIM_HORIZON, batch 10, bisect, retries 1, "
                + "on failure to onepoint-test-BisectFailures)", config.describe());
        try (StreamPoller poller = new StreamPoller("Bisect", "arn:aws:lambda:ap-northeast-2:000000000000:function:bisect",
                config, dynamo().streams(), sqs().client(), invoker, Clock.systemUTC()).start()) {
            TestTemplates.await(Duration.ofSeconds(10), "on-failure message", () -> sqs().approximateCount("BisectFailures") == 1);
            TestTemplates.await(Duration.ofSeconds(5), "p4 delivered", () -> invoker.events("Bisect").stream()
                    .anyMatch(e -> ids(e).equals(List.of("p4"))));
        }
        List<List<String>> batches = invoker.events("Bisect").stream().map(StreamPollerTest::ids).toList();
        assertEquals(List.of(List.of("p1", "p2", "poison", "p4"), List.of("p1", "p2"), List.of("poison", "p4"),
                List.of("poison"), List.of("poison"), List.of("p4")), batches, "halves, then the poison record retried once");

        Message failure = sqs().client().receiveMessage(b -> b.queueUrl(sqs().urlOf("BisectFailures")).waitTimeSeconds(1))
                .messages().get(0);
        JsonNode body = Json.read(failure.body());
        String poisonSeq = ((DynamodbEvent) invoker.events("Bisect").get(3)).getRecords().get(0).getDynamodb().getSequenceNumber();
        JsonNode info = body.get("DDBStreamBatchInfo");
        assertEquals(poisonSeq, info.get("startSequenceNumber").asText());
        assertEquals(poisonSeq, info.get("endSequenceNumber").asText());
        assertEquals(1, info.get("batchSize").asInt());
        assertEquals(dynamo().streamArn("BisectTable"), info.get("streamArn").asText());
        assertTrue(info.get("shardId").asText().length() > 0);
        assertEquals("RetryAttemptsExhausted", body.at("/requestContext/condition").asText());
        assertEquals(2, body.at("/requestContext/approximateInvokeCount").asInt());
        assertEquals("arn:aws:lambda:ap-northeast-2:000000000000:function:bisect", body.at("/requestContext/functionArn").asText());
        assertEquals("Unhandled", body.at("/responseContext/functionError").asText());
        assertEquals("1.0", body.get("version").asText());
        assertTrue(!failure.body().contains("NewImage"), "metadata only, never the data");
    }

    @Test
    void unsupportedPropertiesAreNamed() {
        Props props = new Props(Map.of("Stream", dynamo().streamArn("BisectTable"), "StartingPosition", "AT_TIMESTAMP"),
                "Fn (AWS::Serverless::Function).Events.S.Properties");
        assertEquals("Fn (AWS::Serverless::Function).Events.S.Properties.StartingPosition: must be TRIM_HORIZON or LATEST for DynamoDB",
                assertThrows(UnsupportedTemplateException.class, () -> StreamPoller.config(props, sqs())).getMessage());
        Props tumbling = new Props(Map.of("Stream", "x", "StartingPosition", "LATEST", "TumblingWindowInSeconds", 60), "W");
        assertEquals("W.TumblingWindowInSeconds: not supported by the local runtime",
                assertThrows(UnsupportedTemplateException.class, () -> StreamPoller.config(tumbling, sqs())).getMessage());
    }
}
