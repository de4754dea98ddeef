package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.http.ApiHandler;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.http.JsonFields;
import com.onepoint.shared.snapstart.Priming;
import com.onepoint.shared.table.BillingTable;
import com.onepoint.shared.table.MerchantsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.Map;

import static com.onepoint.shared.http.ApiResponses.json;

/**
 * BillingFunction: POST /billings settles a merchant-month (201 when this call settled it, 200 with the same body
 * when it was settled already; admin only), GET /billings/{merchantId}/{billingMonth} reads a settlement (the admin,
 * or that merchant's own key).
 */
public class BillingHandler extends ApiHandler {
    private final BillingService billing;

    public BillingHandler() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()), Clock.systemUTC());
    }

    public BillingHandler(Env env, DynamoDbClient dynamoDb, Clock clock) {
        this.billing = new BillingService(dynamoDb,
                new BillingService.Tables(env.require(BillingTable.ENV), env.require(MerchantsTable.ENV)),
                clock, BillingMonths.zone(env));
    }

    @Override
    protected APIGatewayProxyResponseEvent route(ApiRequest request) {
        Caller caller = request.caller();
        return switch (request.routeKey()) {
            case "POST /billings" -> {
                caller.requireAdmin(); // settling is the administrator's, whatever the body says
                JsonFields body = request.jsonBody();
                String merchantId = body.requiredId("merchantId");
                String billingMonth = BillingMonths.require("billingMonth", body.requiredText("billingMonth", 16));
                BillingService.SettleResult result = billing.settle(merchantId, billingMonth);
                yield json(result.created() ? 201 : 200, result.settlement());
            }
            case "GET /billings/{merchantId}/{billingMonth}" -> {
                String merchantId = request.pathId("merchantId");
                caller.requireMerchant(merchantId); // the admin, or the merchant reading its own settlement
                yield json(200, billing.get(merchantId, BillingMonths.require("billingMonth", request.pathId("billingMonth"))));
            }
            default -> throw noRoute(request);
        };
    }

    @Override
    protected Priming priming() {
        return new Priming()
                // billingMonth, read last, is refused, so nothing is settled
                .request("POST", "/billings", Map.of(), "{\"merchantId\":\"" + Priming.ABSENT_ID
                        + "\",\"billingMonth\":\"000000\"}", Caller.admin())
                .request("GET", "/billings/{merchantId}/{billingMonth}",
                        Map.of("merchantId", Priming.ABSENT_ID, "billingMonth", "202401"), null, Caller.admin())
                .responseTypes(BillingTable.Settlement.class);
    }
}
