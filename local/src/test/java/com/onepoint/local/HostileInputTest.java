package com.onepoint.local;

import com.onepoint.devkit.streams.StreamPoller;
import com.onepoint.devkit.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over a thousand generated hostile requests across every route, through the HTTP port and the authorizer:
 * every answer is a 4xx in the documented shape, none a 5xx, no stack trace leaks, and a full scan of every table
 * is the same before and after. Each request starts from a valid body and breaks exactly one thing, so a request
 * that got through would be a write the scan catches. The generator is seeded: a failure names a reproducible case.
 */
class HostileInputTest {
    private static final Object MISSING = new Object();
    private static LocalRuntime runtime;
    private static ApiClient admin;
    private static ApiClient merchant;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(TestTemplates.project(), 0, RuntimeOverrides.standard());
        admin = new ApiClient(runtime);
        ApiClient.Answer shop = admin.post("/merchants", "{\"merchantId\":\"h-shop\",\"name\":\"Shop\"}");
        merchant = admin.withKey(shop.json().get("apiKey").asText());
        admin.post("/merchants", "{\"merchantId\":\"h-other\",\"name\":\"Other\"}");
        admin.post("/members", "{\"memberId\":\"h-m\",\"name\":\"M\"}");
        admin.post("/deals", "{\"memberId\":\"h-m\",\"merchantId\":\"h-shop\",\"type\":\"earn\",\"amount\":100000}");
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    /** One field's invalid values; MISSING removes a required field. */
    private static final Map<String, List<Object>> INVALID = Map.ofEntries(
            Map.entry("id", List.of(MISSING, "", " ", "a b", "x".repeat(65), 12, true, List.of(), Map.of(), "<script>",
                    "é", "../x", "a/b", "a\u0000b")),
            Map.entry("name", List.of(MISSING, "", "   ", 12, List.of(), Map.of(), "x".repeat(101), "a\u0007b", true)),
            Map.entry("phone", List.of("call me", 12345, List.of(), "9".repeat(40), "++1")),
            Map.entry("email", List.of("nope", 12, List.of(), "a@b", "a b@c.d")),
            Map.entry("rate", List.of("0.01", -0.1, 1.5, 0.00001, true, List.of(), Map.of(), 2)),
            Map.entry("type", List.of(MISSING, "refund", "EARN", "", 1, List.of())),
            Map.entry("amount", List.of(MISSING, 0, -1, 1.5, "100", 1e3, 1_000_000_000_001L, new java.math.BigInteger("99999999999999999999999"), true, List.of())),
            Map.entry("useAmount", List.of(MISSING, -1, 1.5, "100", 1_000_000_000_001L, false)),
            Map.entry("points", List.of(MISSING, 0, -5, 2.5, "10", 1_000_000_000_001L, Map.of())),
            Map.entry("occurredAt", List.of("2099-01-01T00:00:00Z", "1999-01-01T00:00:00Z", "yesterday", 12,
                    "2026-01-01T00:00:00", "")),
            Map.entry("billingMonth", List.of(MISSING, "2026-11", "209901", "13", 202611, "", "abcdef", "202613")));

    private static final List<String> MALFORMED = List.of("{", "[]", "null", "\"s\"", "{\"a\":}", "{}{}", "\u0000",
            "{\"memberId\":\"h-m\",}", "[".repeat(3000) + "]".repeat(3000), "{\"x\":" + "9".repeat(5000) + "}",
            "<xml/>", "x".repeat(17 * 1024));

    private record Route(String method, String path, Map<String, Object> validBody, Map<String, String> fieldKinds) {
    }

    private static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<Route> bodyRoutes() {
        return List.of(
                new Route("POST", "/merchants", body("merchantId", "h-new", "name", "N", "earnRate", 0.01, "settlementRate", 0.98),
                        Map.of("merchantId", "id", "name", "name", "earnRate", "rate", "settlementRate", "rate")),
                new Route("POST", "/members", body("memberId", "h-new", "name", "N", "phone", "010-1234-5678", "email", "a@b.co"),
                        Map.of("memberId", "id", "name", "name", "phone", "phone", "email", "email")),
                new Route("POST", "/deals", body("memberId", "h-m", "merchantId", "h-shop", "type", "earn", "amount", 1000),
                        Map.of("memberId", "id", "merchantId", "id", "type", "type", "amount", "amount", "occurredAt", "occurredAt")),
                new Route("POST", "/deals", body("memberId", "h-m", "merchantId", "h-shop", "type", "use", "amount", 100, "points", 10),
                        Map.of("memberId", "id", "merchantId", "id", "amount", "useAmount", "points", "points", "occurredAt", "occurredAt")),
                new Route("POST", "/billings", body("merchantId", "h-shop", "billingMonth", "209901"),
                        Map.of("merchantId", "id", "billingMonth", "billingMonth")));
    }

    /** Paths whose ids are malformed (400) or name nothing (404); none may change anything. */
    private static List<String[]> pathRequests() {
        List<String> badIds = List.of("a%20b", "x".repeat(65), "%3Cscript%3E", "%E2%82%AC", "a.b", "nobody", "no-such-1");
        List<String[]> out = new ArrayList<>();
        for (String id : badIds) {
            out.add(new String[]{"GET", "/merchants/" + id});
            out.add(new String[]{"POST", "/merchants/" + id + "/api-key"});
            out.add(new String[]{"GET", "/members/" + id});
            out.add(new String[]{"DELETE", "/members/" + id});
            out.add(new String[]{"GET", "/points/" + id});
            out.add(new String[]{"GET", "/deals/" + id});
            out.add(new String[]{"POST", "/deals/" + id + "/cancel"});
            out.add(new String[]{"GET", "/dashboard/members/" + id});
            out.add(new String[]{"GET", "/billings/" + id + "/202601"});
            out.add(new String[]{"GET", "/billings/h-shop/" + id});
            out.add(new String[]{"PUT", "/deals"});
            out.add(new String[]{"PATCH", "/members/" + id});
        }
        return out;
    }

    private static Map<String, String> scanEverything() {
        Map<String, String> scans = new TreeMap<>();
        runtime.dynamo().tableNames().forEach((logicalId, table) -> {
            TreeSet<String> items = new TreeSet<>();
            for (Map<String, AttributeValue> item : runtime.dynamo().client().scanPaginator(b -> b.tableName(table).consistentRead(true)).items()) {
                items.add(new TreeMap<>(item).toString());
            }
            scans.put(logicalId, items.toString());
        });
        return scans;
    }

    /** The read models follow the seed writes: settled once nothing moved for longer than an idle poller sleeps. */
    private static Map<String, String> settledScan() throws InterruptedException {
        long quiet = StreamPoller.IDLE_POLL_INTERVAL.toMillis() + 500;
        Map<String, String> previous = scanEverything();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(quiet);
            Map<String, String> now = scanEverything();
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    @Test
    void aThousandHostileRequestsAreAll4xxAndChangeNothing() throws Exception {
        Map<String, String> before = settledScan();
        Random random = new Random(20261125);
        List<String> problems = new ArrayList<>();
        int sent = 0;
        for (int round = 0; round < 4; round++) {
            for (Route route : bodyRoutes()) {
                for (Map.Entry<String, String> field : route.fieldKinds().entrySet()) {
                    for (Object invalid : INVALID.get(field.getValue())) {
                        Map<String, Object> b = new LinkedHashMap<>(route.validBody());
                        if (invalid == MISSING) {
                            b.remove(field.getKey());
                        } else {
                            b.put(field.getKey(), invalid);
                        }
                        sent += check(problems, pick(random), route.method(), route.path(), Json.write(b));
                    }
                }
                for (String malformed : MALFORMED) {
                    sent += check(problems, pick(random), route.method(), route.path(), malformed);
                }
            }
            for (String[] r : pathRequests()) {
                sent += check(problems, pick(random), r[0], r[1], null);
            }
            // a merchant key on the admin routes, and for another merchant, with otherwise valid requests
            sent += check(problems, merchant, "POST", "/admin/restore-dlq/redrive", null);
            sent += check(problems, merchant, "POST", "/merchants", "{\"merchantId\":\"h-new\",\"name\":\"N\"}");
            sent += check(problems, merchant, "DELETE", "/members/h-m", null);
            sent += check(problems, merchant, "POST", "/deals",
                    "{\"memberId\":\"h-m\",\"merchantId\":\"h-other\",\"type\":\"earn\",\"amount\":1000}");
        }
        Map<String, String> after = settledScan();

        assertTrue(sent >= 1000, "only " + sent + " requests were generated");
        assertEquals(List.of(), problems);
        assertEquals(before, after, "a rejected request changed a table");
    }

    /** Mostly the admin (so validation is what refuses), sometimes no key or a wrong key. */
    private static ApiClient pick(Random random) {
        int r = random.nextInt(10);
        return r == 0 ? admin.withKey(null) : r == 1 ? admin.withKey("op_" + random.nextInt()) : admin;
    }

    private static int check(List<String> problems, ApiClient caller, String method, String path, String body) {
        ApiClient.Answer answer = caller.send(method, path, body == null ? null : "application/json",
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        String shown = method + " " + path + " " + (body == null ? "" : body.substring(0, Math.min(body.length(), 120)));
        if (answer.status() < 400 || answer.status() >= 500) {
            problems.add(answer.status() + " for " + shown + " → " + answer.body());
        } else if (answer.body().contains("Exception") || answer.body().contains("\tat ")) {
            problems.add("internals leaked for " + shown + " → " + answer.body());
        } else if (answer.status() != 401 && answer.status() != 403 && answer.status() != 413 && answer.errorCode() == null
                && !answer.body().contains("\"message\"")) {
            problems.add("no error body for " + shown + " → " + answer.body());
        }
        return 1;
    }
}
