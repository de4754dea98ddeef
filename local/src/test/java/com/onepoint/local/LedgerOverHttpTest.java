package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §8 step 10 (without the refunds, which another change brings) over real HTTP on the whole runtime from
 * template.yaml: adjustments, the statement the points stream projects (with a use restored through the restore
 * queue), and the audit on demand.
 */
class LedgerOverHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static LocalRuntime runtime;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"), Map.of("RestoreRetryDelaySeconds", "1"));
        runtime = LocalRuntime.start(template, 0, RuntimeOverrides.standard());
        api = new ApiClient(runtime);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static JsonNode ok(int status, ApiClient.Answer answer) {
        assertEquals(status, answer.status(), answer.body());
        return answer.json();
    }

    private static List<String> kinds(JsonNode ledger) {
        List<String> out = new ArrayList<>();
        ledger.get("entries").forEach(e -> out.add(e.get("kind").asText() + " " + e.get("points").asLong()));
        return out;
    }

    @Test
    void adjustmentsStatementAndAudit() {
        JsonNode merchant = ok(201, api.post("/merchants", "{\"merchantId\":\"L20\",\"name\":\"Merchant L20\"}"));
        ok(201, api.post("/members", "{\"memberId\":\"L0003\",\"name\":\"Member L0003\"}"));
        JsonNode earn = ok(201, api.post("/deals", "{\"memberId\":\"L0003\",\"merchantId\":\"L20\",\"type\":\"earn\",\"amount\":30001}"));
        assertEquals(300, earn.get("points").asLong());
        ok(200, api.post("/deals/" + earn.get("dealId").asText() + "/cancel", null));

        // 10. an admin adjustment of +500 ("welcome gift") -> balance 500; -600 -> 409 INSUFFICIENT_POINTS
        JsonNode gift = ok(201, api.post("/members/L0003/adjustments", "{\"points\":500,\"reason\":\"welcome gift\"}"));
        assertEquals(500, gift.get("points").asLong());
        assertEquals("welcome gift", gift.get("reason").asText());
        assertEquals(500, ok(200, api.get("/points/L0003")).get("balance").asLong());
        ApiClient.Answer refused = api.post("/members/L0003/adjustments", "{\"points\":-600,\"reason\":\"too much\"}");
        assertEquals(409, refused.status(), refused.body());
        assertEquals("INSUFFICIENT_POINTS", refused.errorCode());
        ApiClient.Answer asMerchant = api.withKey(merchant.get("apiKey").asText())
                .post("/members/L0003/adjustments", "{\"points\":5,\"reason\":\"a POS may not\"}");
        assertEquals(403, asMerchant.status(), asMerchant.body());

        // a use, cancelled: its points come back through the restore queue as USE_RESTORE
        JsonNode use = ok(201, api.post("/deals", "{\"memberId\":\"L0003\",\"merchantId\":\"L20\",\"type\":\"use\",\"amount\":1000,\"points\":100}"));
        ok(202, api.post("/deals/" + use.get("dealId").asText() + "/cancel", null));
        Eventually.await("the use's restore and its statement entry", WAIT,
                () -> kinds(api.get("/members/L0003/ledger").json()).size() == 5);

        JsonNode ledger = ok(200, api.get("/members/L0003/ledger"));
        assertEquals(List.of("USE_RESTORE 100", "USE -100", "ADJUSTMENT 500", "EARN_CANCEL -300", "EARN 300"), kinds(ledger),
                "newest first");
        assertEquals(500, ledger.get("balance").asLong());
        assertEquals(500, ledger.at("/entries/0/balanceAfter").asLong());
        assertEquals(List.of(500L, 400L, 500L, 0L, 300L),
                ledger.get("entries").findValues("balanceAfter").stream().map(JsonNode::asLong).toList());
        assertEquals(500, ledger.get("entries").findValues("points").stream().mapToLong(JsonNode::asLong).sum(),
                "Σ entries.points = balance");
        assertEquals(gift.get("adjustmentId"), ledger.at("/entries/2/adjustmentId"));
        assertEquals(earn.get("dealId"), ledger.at("/entries/4/dealId"));
        assertNull(ledger.at("/entries/2").get("dealId"));

        // paged: two at a time, the token leads on, the last page has none
        JsonNode first = ok(200, api.get("/members/L0003/ledger?limit=2"));
        assertEquals(2, first.get("entries").size());
        JsonNode second = ok(200, api.get("/members/L0003/ledger?limit=2&nextToken=" + first.get("nextToken").asText()));
        assertEquals(List.of("ADJUSTMENT 500", "EARN_CANCEL -300"), kinds(second));
        JsonNode third = ok(200, api.get("/members/L0003/ledger?limit=2&nextToken=" + second.get("nextToken").asText()));
        assertEquals(List.of("EARN 300"), kinds(third));
        assertNull(third.get("nextToken"));
        assertEquals("nextToken", api.get("/members/L0003/ledger?nextToken=bogus").json().at("/error/details/field").asText());
        assertEquals(404, api.get("/members/nobody/ledger").status());
        // a merchant key may read the statement
        assertEquals(200, api.withKey(merchant.get("apiKey").asText()).get("/members/L0003/ledger").status());

        // POST /admin/audit -> 0 discrepancies
        JsonNode audit = ok(200, api.post("/admin/audit", null));
        assertTrue(audit.get("membersChecked").asLong() >= 1, audit.toString());
        assertEquals(0, audit.get("discrepancies").size(), audit.toString());
        JsonNode one = ok(200, api.post("/admin/audit?memberId=L0003", null));
        assertEquals(1, one.get("membersChecked").asLong());
        assertEquals(0, one.get("discrepancies").size());
        assertEquals(403, api.withKey(merchant.get("apiKey").asText()).post("/admin/audit", null).status());
    }
}
