package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 items 3 and 7 end to end over HTTP on the whole runtime from template.yaml: SPEC §8 step 8 (one phone in
 * every form, unique among ACTIVE members, found by a merchant's key), PATCH, and leave erasing the personal data in
 * the members table and in the dashboard read model, which follows through the members stream.
 */
class MembersByPhoneOverHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static LocalRuntime runtime;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"));
        runtime = LocalRuntime.start(template, 0, RuntimeOverrides.defaults()
                .withExtension(new DevkitEventSources(Clock.systemUTC())));
        api = new ApiClient(runtime);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void specStepEightThenChangeThenLeaveErasesAndFreesThePhone() {
        String merchantKey = expect(201, api.post("/merchants", "{\"merchantId\":\"20\",\"name\":\"Merchant 20\"}"))
                .json().get("apiKey").asText();
        ApiClient pos = api.withKey(merchantKey);

        // 8. 0003 joins with 010-2000-3000; GET /members?phone=+82 10 2000 3000 finds it; 0004 with 01020003000 → 409
        JsonNode joined = expect(201, pos.post("/members",
                "{\"memberId\":\"0003\",\"name\":\"Park Jiwoo\",\"phone\":\"010-2000-3000\",\"email\":\"jiwoo@example.com\"}")).json();
        assertEquals("+821020003000", joined.get("phone").asText());
        JsonNode found = expect(200, pos.get("/members?phone=%2B82%2010%202000%203000")).json();
        assertEquals("0003", found.get("memberId").asText());
        assertEquals("Park Jiwoo", found.get("name").asText());
        // the same '+' left unencoded (read as a space by the form decoding), and the domestic form
        assertEquals("0003", expect(200, pos.get("/members?phone=+82+10+2000+3000")).json().get("memberId").asText());
        assertEquals("0003", expect(200, api.get("/members?phone=01020003000")).json().get("memberId").asText());
        ApiClient.Answer taken = expect(409, pos.post("/members", "{\"memberId\":\"0004\",\"name\":\"Choi\",\"phone\":\"01020003000\"}"));
        assertEquals("PHONE_IN_USE", taken.errorCode());
        assertFalse(taken.body().contains("0003"), "the holder is not named to the POS: " + taken.body());
        assertEquals("MEMBER_NOT_FOUND", expect(404, api.get("/members/0004")).errorCode());
        assertEquals("MEMBER_NOT_FOUND", expect(404, pos.get("/members?phone=010-2000-3001")).errorCode());
        assertEquals("VALIDATION_FAILED", expect(400, pos.get("/members?phone=call%20me")).errorCode());

        // PATCH (admin): the name shows on the dashboard once projected; a POS may not change members
        assertEquals("FORBIDDEN", expect(403, patch(pos, "/members/0003", "{\"name\":\"Mallory\"}")).errorCode());
        JsonNode changed = expect(200, patch(api, "/members/0003", "{\"name\":\"Park Ji-woo\",\"email\":\"jw@example.com\"}")).json();
        assertEquals("Park Ji-woo", changed.get("name").asText());
        assertEquals("+821020003000", changed.get("phone").asText());
        await("dashboard shows the new name",
                () -> "Park Ji-woo".equals(api.get("/dashboard/members/0003").json().path("name").asText()));
        assertEquals("VALIDATION_FAILED", expect(400, patch(api, "/members/0003", "{\"nickname\":\"JW\"}")).errorCode());

        // leave: name, phone and e-mail erased everywhere; the phone is free at once
        expect(200, api.delete("/members/0003"));
        JsonNode left = expect(200, pos.get("/members/0003")).json();
        assertEquals("WITHDRAWN", left.get("status").asText());
        assertTrue(left.has("erasedAt") && left.has("joinedAt") && left.has("forfeitedPoints"), left.toString());
        assertFalse(left.has("name") || left.has("phone") || left.has("email"), left.toString());
        assertEquals("MEMBER_NOT_FOUND", expect(404, pos.get("/members?phone=01020003000")).errorCode());
        await("dashboard shows 0003 WITHDRAWN", () -> "WITHDRAWN".equals(api.get("/dashboard/members/0003").json().path("status").asText()));
        assertFalse(api.get("/dashboard/members/0003").json().has("name"));
        for (String table : List.of("MembersTable", "MemberPhonesTable", "DashboardTable")) {
            String stored = scan(table);
            for (String personal : List.of("Park", "jiwoo@", "jw@", "1020003000")) {
                assertFalse(stored.contains(personal), personal + " still in " + table + ": " + stored);
            }
        }
        assertEquals("MEMBER_NOT_ACTIVE", expect(409, patch(api, "/members/0003", "{\"name\":\"Back\"}")).errorCode());

        JsonNode next = expect(201, pos.post("/members", "{\"memberId\":\"0004\",\"name\":\"Choi\",\"phone\":\"01020003000\"}")).json();
        assertEquals("+821020003000", next.get("phone").asText());
        assertEquals("0004", expect(200, pos.get("/members?phone=%2B821020003000")).json().get("memberId").asText());
    }

    private static ApiClient.Answer patch(ApiClient client, String path, String json) {
        return client.send("PATCH", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** Every item of one of the runtime's tables, as text (a scan: tests only). */
    private static String scan(String logicalId) {
        String table = runtime.dynamo().tableNames().get(logicalId);
        List<Map<String, AttributeValue>> items = runtime.dynamo().client().scan(b -> b.tableName(table).consistentRead(true)).items();
        return items.toString();
    }

    private static ApiClient.Answer expect(int status, ApiClient.Answer answer) {
        assertEquals(status, answer.status(), answer.body());
        return answer;
    }

    private static void await(String what, BooleanSupplier condition) {
        Eventually.await(what, WAIT, condition);
    }
}
