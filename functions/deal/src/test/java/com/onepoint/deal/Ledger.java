package com.onepoint.deal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.events.RecordingEventBridge;
import com.onepoint.member.MemberHandler;
import com.onepoint.merchant.MerchantHandler;
import com.onepoint.point.LedgerAudit;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.PointsTable;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.devkit.ApiEvents.post;
import static com.onepoint.devkit.ApiEvents.request;

/**
 * The ledger's functions wired as template.yaml wires them, on the embedded engine: merchants and members
 * are set up through their own handlers, deals go through DealHandler. One per test class.
 */
final class Ledger implements AutoCloseable {
    final LocalDynamo dynamo;
    final DealHandler deals;
    final MemberHandler members;
    final MerchantHandler merchants;
    final Env dealEnv;

    Ledger(Clock clock) {
        this(LocalDynamo.start(SamTemplate.load(Path.of("template.yaml"))), clock);
    }

    /** The ledger on the tables {@code dynamo} made (the engine, or LocalStack's DynamoDB). */
    Ledger(LocalDynamo dynamo, Clock clock) {
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"));
        this.dynamo = dynamo;
        dealEnv = new Env(template.functionEnvironment("DealFunction", dynamo));
        deals = new DealHandler(dealEnv, dynamo.client(), clock);
        members = new MemberHandler(new Env(template.functionEnvironment("MemberFunction", dynamo)), dynamo.client(), clock);
        merchants = new MerchantHandler(new Env(template.functionEnvironment("MerchantFunction", dynamo)), dynamo.client(), clock);
    }

    Ledger() {
        this(Clock.systemUTC());
    }

    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String merchant(String merchantId, String earnRate) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("merchantId", merchantId);
        body.put("name", "Merchant " + merchantId);
        if (earnRate != null) {
            body.put("earnRate", new java.math.BigDecimal(earnRate));
        }
        expect(201, merchants.handleRequest(post("/merchants", body), null));
        return merchantId;
    }

    String member(String memberId) {
        expect(201, members.handleRequest(post("/members", Map.of("memberId", memberId, "name", "Member " + memberId)), null));
        return memberId;
    }

    JsonNode leave(String memberId) {
        return body(expect(200, members.handleRequest(
                request("DELETE", "/members/{memberId}", Map.of("memberId", memberId), null), null)));
    }

    APIGatewayProxyResponseEvent deal(APIGatewayProxyRequestEvent event) {
        return deals.handleRequest(event, null);
    }

    APIGatewayProxyResponseEvent earn(String memberId, String merchantId, long amount) {
        return deal(post("/deals", Map.of("memberId", memberId, "merchantId", merchantId, "type", "earn", "amount", amount)));
    }

    APIGatewayProxyResponseEvent use(String memberId, String merchantId, long points) {
        return deal(post("/deals", Map.of("memberId", memberId, "merchantId", merchantId, "type", "use",
                "amount", points * 100, "points", points)));
    }

    APIGatewayProxyResponseEvent cancel(String dealId) {
        return deal(request("POST", "/deals/{dealId}/cancel", Map.of("dealId", dealId), null));
    }

    APIGatewayProxyResponseEvent earn(String memberId, String merchantId, long amount, String receiptId) {
        return deal(post("/deals", Map.of("memberId", memberId, "merchantId", merchantId, "type", "earn", "amount", amount,
                "receiptId", receiptId)));
    }

    APIGatewayProxyResponseEvent use(String memberId, String merchantId, long points, String receiptId) {
        return deal(post("/deals", Map.of("memberId", memberId, "merchantId", merchantId, "type", "use",
                "amount", points * 100, "points", points, "receiptId", receiptId)));
    }

    /** POST /deals/{dealId}/refunds with {@code {"amount": n}} (an earn's) or {@code {"points": n}} (a use's). */
    APIGatewayProxyResponseEvent refund(String dealId, String field, long n) {
        return deal(request("POST", "/deals/{dealId}/refunds", Map.of("dealId", dealId), Map.of(field, n)));
    }

    APIGatewayProxyResponseEvent receipt(String merchantId, String receiptId) {
        return deal(request("GET", "/merchants/{merchantId}/receipts/{receiptId}",
                Map.of("merchantId", merchantId, "receiptId", receiptId), null));
    }

    APIGatewayProxyResponseEvent getDeal(String dealId) {
        return deal(request("GET", "/deals/{dealId}", Map.of("dealId", dealId), null));
    }

    long balance(String memberId) {
        return Items.num(dynamo.client().getItem(b -> b.tableName(dealEnv.require(PointsTable.ENV))
                .key(Items.key(PointsTable.MEMBER_ID, memberId)).consistentRead(true)).item(), PointsTable.BALANCE);
    }

    /**
     * The ledger audit of every member (as LedgerAuditFunction runs it, publishing to a recorder) finds no balance
     * that differs from the sum of its member's deals, refunds, restores, adjustments and forfeit.
     */
    void assertAuditClean() {
        LedgerAudit audit = new LedgerAudit(dynamo.client(), RecordingEventBridge.healthy(), "onepoint-dev",
                new LedgerAudit.Tables(dealEnv.require(PointsTable.ENV), dealEnv.require(DealsTable.ENV),
                        dynamo.ref("AdjustmentsTable")), Clock.systemUTC());
        LedgerAudit.Report report = audit.all("test");
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), report.discrepancies(),
                "ledger audit of " + report.membersChecked() + " members");
    }

    int dealCount() {
        return dynamo.client().scan(b -> b.tableName(dealEnv.require(DealsTable.ENV)).select("COUNT")).count();
    }


    @Override
    public void close() {
        dynamo.close();
    }
}
