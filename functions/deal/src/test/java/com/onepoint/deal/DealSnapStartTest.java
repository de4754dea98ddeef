package com.onepoint.deal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.merchant.MerchantHandler;
import com.onepoint.shared.aws.Env;
import org.crac.Core;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.devkit.ApiEvents.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SnapStart resumes many execution environments from one snapshot. Two handler instances stand for two of them:
 * each is primed (beforeCheckpoint) and restored (afterRestore), then serves requests; nothing they mint may repeat.
 */
class DealSnapStartTest {
    private static Ledger ledger;

    @BeforeAll
    static void start() {
        ledger = new Ledger();
        ledger.merchant("20", null); // the fixtures' merchant and member
        ledger.member("0001");
    }

    @AfterAll
    static void stop() {
        ledger.close();
    }

    private static DealHandler restoredDealHandler() {
        DealHandler handler = new DealHandler(ledger.dealEnv, ledger.dynamo.client(), Clock.systemUTC());
        handler.beforeCheckpoint(Core.getGlobalContext());
        handler.afterRestore(Core.getGlobalContext());
        return handler;
    }

    @ParameterizedTest
    @Event(value = "events/earn.json", type = APIGatewayProxyRequestEvent.class)
    void twoRestoredDealHandlersMintDifferentDealIds(APIGatewayProxyRequestEvent event) {
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.remove("Idempotency-Key"); // a repeat of the fixture's key would replay one deal: a new deal each time
        event.setHeaders(headers);
        DealHandler first = restoredDealHandler();
        DealHandler second = restoredDealHandler();
        Set<String> dealIds = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            for (DealHandler handler : new DealHandler[] {first, second}) {
                String dealId = body(expect(201, handler.handleRequest(event, null))).get("dealId").asText();
                assertTrue(dealIds.add(dealId), "deal id " + dealId + " was minted twice");
            }
        }
        assertEquals(100, dealIds.size());
    }

    @Test
    void twoRestoredMerchantHandlersGenerateDifferentApiKeys() {
        Env env = new Env(SamTemplate.load(Path.of("template.yaml")).functionEnvironment("MerchantFunction", ledger.dynamo));
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            MerchantHandler handler = new MerchantHandler(env, ledger.dynamo.client(), Clock.systemUTC());
            handler.beforeCheckpoint(Core.getGlobalContext());
            handler.afterRestore(Core.getGlobalContext());
            for (int j = 0; j < 10; j++) {
                String merchantId = Ledger.uniqueId("snap");
                String apiKey = body(expect(201, handler.handleRequest(post("/merchants",
                        Map.of("merchantId", merchantId, "name", "Shop")), null))).get("apiKey").asText();
                assertTrue(keys.add(apiKey), "API key generated twice");
            }
        }
        assertEquals(20, keys.size());
    }

    @Test
    void primingADealHandlerWritesNothing() {
        expect(201, ledger.earn("0001", "20", 100000));
        int deals = ledger.dealCount();
        long balance = ledger.balance("0001");
        int idempotencyRecords = ledger.dynamo.client().scan(b -> b.tableName(ledger.dealEnv.require("IDEMPOTENCY_TABLE"))
                .select("COUNT")).count();
        // refused or read-only requests: POST /deals refused by validation (400), GET of a deal that is not there (404),
        // a refund of that deal (404) and a receipt no deal holds (404)
        assertEquals(java.util.List.of(400, 404, 404, 404), restoredDealHandler().prime());
        assertEquals(deals, ledger.dealCount());
        assertEquals(balance, ledger.balance("0001"));
        assertEquals(idempotencyRecords, ledger.dynamo.client().scan(b -> b.tableName(ledger.dealEnv.require("IDEMPOTENCY_TABLE"))
                .select("COUNT")).count());
    }
}
