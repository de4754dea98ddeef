package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every API fixture in events/, sent as the request it describes (method, path, query, Idempotency-Key, body) over
 * HTTP to the runtime of template.yaml, in an order in which each finds what it needs: the answers are the ones a
 * user would get (2xx where the fixture's ids exist, 404 where they name no deal), and ApiClient holds each to the
 * schema openapi.yaml gives its route and status.
 */
class FixturesOverHttpTest {
    /** Fixture → status, in the order sent; the fixtures' deal ids name no deal (their own deals get fresh ids). */
    private static final List<Map.Entry<String, Integer>> ORDER = List.of(
            Map.entry("register-merchant.json", 201),
            Map.entry("get-merchant.json", 200),
            Map.entry("join-member.json", 201),
            Map.entry("get-member.json", 200),
            Map.entry("find-member-by-phone.json", 200),
            Map.entry("earn.json", 201),
            Map.entry("earn-receipt.json", 201),
            Map.entry("get-receipt.json", 200),
            Map.entry("use.json", 201),
            Map.entry("get-points.json", 200),
            Map.entry("patch-member.json", 200),
            Map.entry("adjustment.json", 201),
            Map.entry("ledger-get.json", 200),
            Map.entry("dashboard-get.json", 200),
            Map.entry("audit.json", 200),
            Map.entry("billing-settle.json", 201),
            Map.entry("billing-get.json", 200),
            Map.entry("merchant-days-get.json", 200),
            Map.entry("ui-redirect.json", 302),
            Map.entry("ui-get.json", 200),
            Map.entry("get-deal.json", 404),
            Map.entry("cancel-deal.json", 404),
            Map.entry("refund-earn.json", 404),
            Map.entry("refund-use.json", 404),
            Map.entry("leave-member.json", 200));

    /** Fixtures of eventually consistent read models, and how long they may take to catch up. */
    private static final Set<String> READ_MODELS = Set.of("dashboard-get.json");
    private static final java.time.Duration READ_MODEL_WAIT = java.time.Duration.ofSeconds(10);

    private static LocalRuntime runtime;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(TestTemplates.project(), 0, RuntimeOverrides.standard());
        api = new ApiClient(runtime);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void everyApiFixtureOverHttpGetsItsAnswerInTheDocumentedShape() throws Exception {
        Set<String> apiFixtures = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                if (Json.read(Files.readString(f)).has("httpMethod")) {
                    apiFixtures.add(f.getFileName().toString());
                }
            }
        }
        Set<String> ordered = new TreeSet<>(ORDER.stream().map(Map.Entry::getKey).toList());
        assertEquals(apiFixtures, ordered, "every API fixture of events/ has its place in ORDER");
        // the fixtures' adjustment and statement are for member 0003
        ApiClient.Answer joined = api.post("/members", "{\"memberId\":\"0003\",\"name\":\"Park Jiwoo\"}");
        assertEquals(201, joined.status(), joined.body());

        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Integer> step : ORDER) {
            JsonNode fixture = Json.read(Files.readString(Path.of("events", step.getKey())));
            ApiClient.Answer answer = send(fixture);
            // a read model follows the ledger through the stream pollers: it may take a moment to know the member
            long deadline = System.nanoTime() + READ_MODEL_WAIT.toNanos();
            while (answer.status() != step.getValue() && READ_MODELS.contains(step.getKey()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                answer = send(fixture);
            }
            if (answer.status() != step.getValue()) {
                wrong.add(step.getKey() + ": " + answer.status() + " " + answer.body());
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** The fixture's request as HTTP; ApiClient sends the admin key (the fixtures carry local-admin-key too). */
    private static ApiClient.Answer send(JsonNode fixture) {
        StringBuilder uri = new StringBuilder(fixture.get("path").asText());
        JsonNode query = fixture.path("queryStringParameters");
        if (query.isObject()) {
            String sep = "?";
            for (Iterator<Map.Entry<String, JsonNode>> it = query.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                uri.append(sep).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(p.getValue().asText(), StandardCharsets.UTF_8));
                sep = "&";
            }
        }
        String body = fixture.path("body").isTextual() ? fixture.get("body").asText() : null;
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(uri.toString())).method(fixture.get("httpMethod").asText(),
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        JsonNode key = fixture.path("headers").path("Idempotency-Key");
        if (key.isTextual()) {
            request.header("Idempotency-Key", key.asText());
        }
        return api.send(request);
    }
}
