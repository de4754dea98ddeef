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
 * SPEC §8 steps 8-10 over real HTTP on the whole runtime from template.yaml: adjustments, the statement the points
 * stream projects (with a use restored through the restore queue, and refunds), and the audit on demand.
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

    @Test
    void specStepsEightToTenInOneSequence() {
        ok(201, api.post("/merchants", "{\"merchantId\":\"S20\",\"name\":\"Merchant S20\"}"));
        // 8. 0003 joins with a phone; found by the same number written the international way; a second holder is refused
        ok(201, api.post("/members", "{\"memberId\":\"S0003\",\"name\":\"Member S0003\",\"phone\":\"010-2000-3900\"}"));
        assertEquals("S0003", ok(200, api.get("/members?phone=%2B82%2010%202000%203900")).get("memberId").asText());
        assertEquals("PHONE_IN_USE", api.post("/members", "{\"memberId\":\"S0004\",\"name\":\"Member S0004\","
                + "\"phone\":\"01020003900\"}").errorCode());

        // 9. an earn with a receipt, the receipt again, its lookup, three refunds, a fourth
        JsonNode earn = ok(201, api.post("/deals", "{\"memberId\":\"S0003\",\"merchantId\":\"S20\",\"type\":\"earn\","
                + "\"amount\":30001,\"receiptId\":\"T1-0001\"}"));
        assertEquals(300, earn.get("points").asLong());
        String dealId = earn.get("dealId").asText();
        ApiClient.Answer again = api.post("/deals", "{\"memberId\":\"S0003\",\"merchantId\":\"S20\",\"type\":\"earn\","
                + "\"amount\":30001,\"receiptId\":\"T1-0001\"}");
        assertEquals(409, again.status(), again.body());
        assertEquals(dealId, again.json().at("/error/details/dealId").asText());
        assertEquals(dealId, ok(200, api.get("/merchants/S20/receipts/T1-0001")).get("dealId").asText());
        List<Long> deducted = new ArrayList<>();
        for (long amount : new long[] {10000, 10000, 10001}) {
            deducted.add(ok(201, api.post("/deals/" + dealId + "/refunds", "{\"amount\":" + amount + "}")).get("points").asLong());
        }
        assertEquals(List.of(99L, 100L, 101L), deducted);
        assertEquals("NOT_REFUNDABLE", api.post("/deals/" + dealId + "/refunds", "{\"amount\":1}").errorCode());

        // 10. +500, then -600 refused; the statement newest first, ending at the balance; the audit finds nothing
        ok(201, api.post("/members/S0003/adjustments", "{\"points\":500,\"reason\":\"welcome gift\"}"));
        assertEquals("INSUFFICIENT_POINTS", api.post("/members/S0003/adjustments",
                "{\"points\":-600,\"reason\":\"too much\"}").errorCode());
        assertEquals(500, ok(200, api.get("/points/S0003")).get("balance").asLong());
        List<String> expected = List.of("ADJUSTMENT 500", "EARN_REFUND -101", "EARN_REFUND -100", "EARN_REFUND -99", "EARN 300");
        Eventually.await("the statement of S0003", WAIT, () -> kinds(api.get("/members/S0003/ledger").json()).equals(expected));
        JsonNode ledger = ok(200, api.get("/members/S0003/ledger"));
        assertEquals(500, ledger.at("/entries/0/balanceAfter").asLong());
        assertEquals(List.of(500L, 0L, 101L, 201L, 300L),
                ledger.get("entries").findValues("balanceAfter").stream().map(JsonNode::asLong).toList());
        assertEquals(0, ok(200, api.post("/admin/audit?memberId=S0003", null)).get("discrepancies").size());
        assertEquals(0, ok(200, api.post("/admin/audit", null)).get("discrepancies").size());
    }
}
