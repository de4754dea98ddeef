package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code invoke} with every API fixture in events/ whose function exists: the function answers, with the status
 * SPEC §3 documents for an empty database and a body that fits openapi.yaml. A fixture maps to its function by resource + httpMethod.
 */
class InvokeFixturesTest {
    /** Route key → status on an empty database: creations succeed, reads and changes of absent things are 404. */
    private static final Map<String, Integer> EMPTY_DATABASE_STATUS = Map.ofEntries(
            Map.entry("POST /merchants", 201),
            Map.entry("GET /merchants/{merchantId}", 404),
            Map.entry("POST /members", 201),
            Map.entry("GET /members/{memberId}", 404),
            Map.entry("GET /members", 404),
            Map.entry("PATCH /members/{memberId}", 404),
            Map.entry("DELETE /members/{memberId}", 404),
            Map.entry("GET /points/{memberId}", 404),
            Map.entry("POST /deals", 404),
            Map.entry("GET /deals/{dealId}", 404),
            Map.entry("POST /deals/{dealId}/cancel", 404),
            Map.entry("POST /members/{memberId}/adjustments", 404),
            Map.entry("GET /members/{memberId}/ledger", 404),
            Map.entry("POST /admin/audit", 200),
            Map.entry("POST /deals/{dealId}/refunds", 404),
            Map.entry("GET /merchants/{merchantId}/receipts/{receiptId}", 404),
            Map.entry("GET /merchants/{merchantId}/days", 404),
            Map.entry("GET /ui/{proxy+}", 200),
            Map.entry("GET /ui", 302));

    record Result(int exitCode, String stdout, String stderr) {
        String lastLine() {
            String[] lines = stdout.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    static Result invoke(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> command = new ArrayList<>(List.of("invoke"));
        command.addAll(List.of(args));
        int code = Main.run(command, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @TestFactory
    Stream<DynamicTest> everyApiFixtureGetsItsDocumentedResponse() throws IOException {
        Path dir = Path.of("events");
        Assumptions.assumeTrue(Files.isDirectory(dir), "no events/ directory yet");
        SamTemplate template = TestTemplates.project();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path fixture : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode event = Json.read(Files.readString(fixture));
                String routeKey = event.path("httpMethod").asText("") + " " + event.path("resource").asText("");
                String function = functionOf(template, event.path("httpMethod").asText(""), event.path("resource").asText(""));
                if (function == null) {
                    continue; // not an API fixture, or for a function this template does not have (yet)
                }
                tests.add(DynamicTest.dynamicTest(fixture.getFileName() + " -> " + function, () -> {
                    Result result = invoke(function, "-e", fixture.toString(), "--template", TestTemplates.projectPath().toString());
                    assertEquals(0, result.exitCode(), result.stderr());
                    JsonNode response = Json.read(result.lastLine());
                    int status = response.get("statusCode").asInt();
                    // the answer as API Gateway would pass it on must fit openapi.yaml's schema for the route and status
                    ApiContract.project().checkRoute(event.path("httpMethod").asText(), event.path("resource").asText(),
                            status, response.path("body").asText(""));
                    Integer expected = EMPTY_DATABASE_STATUS.get(routeKey);
                    if (expected != null) {
                        assertEquals(expected, status, routeKey + " on an empty database: " + response.get("body"));
                    } else {
                        assertTrue(status < 500, routeKey + ": " + response.get("body"));
                    }
                }));
            }
        }
        Assumptions.assumeFalse(tests.isEmpty(), "no API fixture in events/ yet");
        return tests.stream();
    }

    /** Every non-API fixture, with the function it is for and what that function answers on an empty database. */
    @TestFactory
    Stream<DynamicTest> everyEventSourceFixtureWorksWithInvoke() {
        String[][] cases = {
                // SQS: the fixture's deal does not exist in an empty database, so the message is reported failed
                {"restore-queue.json", "PointRestoreFunction", "{\"batchItemFailures\":[{\"itemIdentifier\":\"059f36b4-87a3-44ab-83d2-661975830a7d\"}]}"},
                {"restore-queue-refund.json", "PointRestoreFunction", "{\"batchItemFailures\":[{\"itemIdentifier\":\"2b7d4e91-0c3a-4f6e-8a15-93d0c7e2b4f8\"}]}"},
                // the deal events are copied as they come: nothing needs to exist first
                {"dashboard-deal-events.json", "DashboardDealEventsFunction", "{\"batchItemFailures\":[]}"},
                // daily figures are ADDed as they come: nothing needs to exist first
                {"merchant-days-events.json", "MerchantDaysFunction", "{\"batchItemFailures\":[]}"},
                // DynamoDB streams
                {"outbox-deals-stream.json", "OutboxPublisherFunction", "{\"batchItemFailures\":[]}"},
                {"outbox-members-stream.json", "OutboxPublisherFunction", "{\"batchItemFailures\":[]}"},
                {"dashboard-deals-stream.json", "DashboardProjector", "{\"batchItemFailures\":[]}"},
                {"billing-deals-stream.json", "BillingViewFunction", "{\"batchItemFailures\":[]}"},
                {"outbox-adjustments-stream.json", "OutboxPublisherFunction", "{\"batchItemFailures\":[]}"},
                // the statement is written from the images alone: nothing needs to exist first
                {"ledger-points-stream.json", "LedgerProjectorFunction", "{\"batchItemFailures\":[]}"},
                {"ledger-audit-schedule.json", "LedgerAuditFunction", "\"membersChecked\":0"},
                // EventBridge Scheduler and a classic EventBridge scheduled rule: settle the previous month
                {"billing-schedule.json", "MonthlySettlementFunction", "\"billingMonth\":\"202607\""},
                {"monthly-settlement-eventbridge.json", "MonthlySettlementFunction", "\"billingMonth\":\"202608\""}};
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] c : cases) {
            tests.add(DynamicTest.dynamicTest(c[0] + " -> " + c[1], () -> {
                Result result = invoke(c[1], "-e", "events/" + c[0], "--template", TestTemplates.projectPath().toString());
                assertEquals(0, result.exitCode(), result.stderr());
                assertTrue(result.lastLine().contains(c[2]), result.lastLine());
            }));
        }
        return tests.stream();
    }

    @Test
    void responseIsTheLastLineOfStdout() throws Exception {
        Result result = invoke("EchoFunction", "-e", TestTemplates.resource("events/echo-get.json").toString(),
                "--template", TestTemplates.resource("templates/echo.yaml").toString());
        assertEquals(0, result.exitCode(), result.stderr());
        JsonNode response = Json.read(result.lastLine());
        assertEquals(200, response.get("statusCode").asInt());
        assertTrue(response.get("body").asText().contains("\"/echo/{id}\""), response.toString());
    }

    @Test
    void aThrowingFunctionExitsNonZeroWithAMessage() {
        Result result = invoke("EchoFunction", "-e", TestTemplates.resource("events/echo-boom.json").toString(),
                "--template", TestTemplates.resource("templates/echo.yaml").toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("EchoFunction failed: java.lang.IllegalStateException: boom"), result.stderr());
    }

    @Test
    void anUnknownFunctionIsAUsageError() {
        Result result = invoke("NoSuchFunction", "-e", TestTemplates.resource("events/echo-get.json").toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("no function NoSuchFunction"), result.stderr());
    }

    /** The function whose Api event has this method and path in the template, or null. */
    static String functionOf(SamTemplate template, String method, String resource) {
        for (SamTemplate.Resource fn : template.resourcesOfType(TemplateCheck.FUNCTION)) {
            Map<?, ?> events = (Map<?, ?>) fn.properties().getOrDefault("Events", Map.of());
            for (Object e : events.values()) {
                Map<?, ?> body = (Map<?, ?>) e;
                if (!"Api".equals(body.get("Type"))) {
                    continue;
                }
                Map<?, ?> props = (Map<?, ?>) body.get("Properties");
                String m = String.valueOf(props.get("Method"));
                if (String.valueOf(props.get("Path")).equals(resource) && (m.equalsIgnoreCase(method) || m.equalsIgnoreCase("any"))) {
                    return fn.logicalId();
                }
            }
        }
        return null;
    }
}
