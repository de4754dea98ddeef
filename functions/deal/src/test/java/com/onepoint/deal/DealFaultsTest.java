package com.onepoint.deal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.engine.Faults;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.table.DealsTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static com.onepoint.deal.Ledger.uniqueId;
import static com.onepoint.devkit.ApiEvents.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 deals while the engine cancels 10% of transactions with TransactionConflict and throttles 5% of all
 * requests: every deal is answered (201, or 409 for a refused use), none is lost or written twice, and every balance
 * equals what its member's deals add up to, never below zero.
 */
class DealFaultsTest {
    private static final int DEALS = 10_000;
    private static final int MEMBERS = 40;
    private static final int THREADS = 8;

    @Test
    void noDealIsLostOrDuplicatedUnderConflictsAndThrottling() throws Exception {
        try (Ledger ledger = new Ledger()) {
            String merchant = ledger.merchant(uniqueId("shop"), null);
            List<String> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                members.add(ledger.member(uniqueId("m" + i)));
            }
            Faults faults = ledger.dynamo.engine().faults();
            faults.add(Faults.Rule.of(null, "TransactWriteItems", Faults.Kind.TRANSACTION_CONFLICT, 0.10));
            faults.add(Faults.Rule.of(null, null, Faults.Kind.THROTTLING, 0.05));

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<List<JsonNode>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(pool.submit(() -> {
                    List<JsonNode> answered = new ArrayList<>();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < DEALS / THREADS; i++) {
                        String member = members.get(random.nextInt(MEMBERS));
                        APIGatewayProxyResponseEvent r = random.nextInt(3) < 2
                                ? ledger.earn(member, merchant, 100 + random.nextInt(20_000))
                                : ledger.use(member, merchant, 1 + random.nextInt(150));
                        JsonNode body = body(r);
                        if (r.getStatusCode() == 201) {
                            answered.add(body);
                        } else if (r.getStatusCode() == 409 && body.at("/error/code").asText().equals("INSUFFICIENT_POINTS")) {
                            answered.add(body.at("/error/details/deal"));
                        } else {
                            throw new AssertionError("deal answered " + r.getStatusCode() + " " + r.getBody());
                        }
                    }
                    return answered;
                }));
            }
            List<JsonNode> answered = new ArrayList<>();
            for (Future<List<JsonNode>> f : results) {
                answered.addAll(f.get());
            }
            pool.shutdown();
            faults.clear();
            assertTrue(ledger.dynamo.engine().faults().injected(Faults.Kind.TRANSACTION_CONFLICT) > 100, "conflicts were injected");
            assertTrue(ledger.dynamo.engine().faults().injected(Faults.Kind.THROTTLING) > 100, "throttling was injected");

            assertEquals(DEALS, answered.size());
            Map<String, Map<String, AttributeValue>> stored = new HashMap<>();
            ledger.dynamo.client().scanPaginator(b -> b.tableName(ledger.dealEnv.require(DealsTable.ENV)).consistentRead(true))
                    .items().forEach(item -> stored.put(Items.str(item, DealsTable.DEAL_ID), item));
            Set<String> answeredIds = new HashSet<>();
            for (JsonNode deal : answered) {
                answeredIds.add(deal.get("dealId").asText());
            }
            assertEquals(DEALS, answeredIds.size(), "every answer names its own deal");
            assertEquals(answeredIds, stored.keySet(), "the table holds exactly the answered deals: none lost, none twice");

            Map<String, Long> expected = new HashMap<>();
            for (JsonNode deal : answered) {
                Map<String, AttributeValue> item = stored.get(deal.get("dealId").asText());
                assertEquals(deal.get("status").asText(), Items.str(item, DealsTable.STATUS));
                if (deal.get("status").asText().equals("SUCCESS")) {
                    long points = deal.get("points").asLong();
                    expected.merge(deal.get("memberId").asText(), deal.get("type").asText().equals("earn") ? points : -points, Long::sum);
                }
            }
            for (String member : members) {
                long balance = ledger.balance(member);
                assertTrue(balance >= 0, member + " went below zero");
                assertEquals(expected.getOrDefault(member, 0L), balance, "balance of " + member + " = Σ its deals");
            }
            assertEquals(0, ledger.dynamo.engine().lockedItems());
            ledger.assertAuditClean();
        }
    }
}
