package com.onepoint.deal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.Receipt;
import com.onepoint.shared.domain.Refund;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.http.ApiHandler;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.http.JsonFields;
import com.onepoint.shared.idempotency.IdempotentRequests;
import com.onepoint.shared.snapstart.Priming;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.MerchantsTable;
import com.onepoint.shared.table.PointsTable;
import com.onepoint.shared.table.ReceiptsTable;
import com.onepoint.shared.table.RefundsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.Map;

import static com.onepoint.shared.http.ApiResponses.json;

/**
 * DealFunction: POST /deals, GET /deals/{dealId}, POST /deals/{dealId}/cancel, POST /deals/{dealId}/refunds and
 * GET /merchants/{merchantId}/receipts/{receiptId}. The POSTs honour an Idempotency-Key header (see
 * {@link IdempotentRequests}): a POS retry gets the first answer, a refused use included, and changes nothing.
 */
public class DealHandler extends ApiHandler {
    private final DealService deals;
    private final IdempotentRequests idempotency;

    public DealHandler() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()), Clock.systemUTC());
    }

    public DealHandler(Env env, DynamoDbClient dynamoDb, Clock clock) {
        this.deals = new DealService(dynamoDb, new DealService.Tables(env.require(DealsTable.ENV),
                env.require(PointsTable.ENV), env.require(MembersTable.ENV), env.require(MerchantsTable.ENV),
                env.require(ReceiptsTable.ENV), env.require(RefundsTable.ENV)), clock);
        this.idempotency = IdempotentRequests.fromEnvironment(env, dynamoDb);
    }

    @Override
    protected APIGatewayProxyResponseEvent route(ApiRequest request) {
        Caller caller = request.caller();
        return switch (request.routeKey()) {
            case "POST /deals" -> idempotency.respond(request, null, () -> {
                DealService.NewDeal newDeal = parseNewDeal(request.jsonBody());
                caller.requireMerchant(newDeal.merchantId()); // before anything is written
                return json(201, deals.create(newDeal));
            });
            case "GET /deals/{dealId}" -> {
                Deal deal = deals.get(request.pathId("dealId"));
                caller.requireMerchant(deal.merchantId());
                yield json(200, deal);
            }
            case "POST /deals/{dealId}/cancel" -> {
                String dealId = request.pathId("dealId");
                yield idempotency.respond(request, dealId, () -> {
                    Deal cancelled = deals.cancel(dealId, caller);
                    // 202: a use's points come back later, through the restore queue
                    return json(cancelled.restoration() == null ? 200 : 202, cancelled);
                });
            }
            case "POST /deals/{dealId}/refunds" -> {
                String dealId = request.pathId("dealId");
                yield idempotency.respond(request, dealId, () -> {
                    Refund refund = deals.refund(dealId, parseRefund(request.jsonBody()), caller);
                    // 202: a use's points come back later, through the restore queue
                    return json(refund.restoration() == null ? 201 : 202, refund);
                });
            }
            case "GET /merchants/{merchantId}/receipts/{receiptId}" -> {
                String merchantId = request.pathId("merchantId");
                String receiptId = Receipt.require("receiptId", request.pathParameter("receiptId"));
                caller.requireMerchant(merchantId); // before reading: another merchant's receipts are not its business
                yield json(200, deals.byReceipt(merchantId, receiptId));
            }
            default -> throw noRoute(request);
        };
    }

    static DealService.NewDeal parseNewDeal(JsonFields body) {
        String memberId = body.requiredId("memberId");
        String merchantId = body.requiredId("merchantId");
        DealType type = DealType.fromWire(body.requiredText("type", 16))
                .orElseThrow(() -> ApiException.validation("type", "must be \"earn\" (or legacy \"save\") or \"use\""));
        long points;
        long amount;
        if (type == DealType.EARN) {
            amount = body.requiredLong("amount", 1);
            if (body.optionalLong("points", 0).isPresent()) {
                // an earn's points are the merchant's rate applied to the amount, never the caller's figure
                throw ApiException.validation("points", "must not be sent for an earn; it is computed from amount");
            }
            points = 0;
        } else {
            points = body.requiredLong("points", 1);
            amount = body.requiredLong("amount", 0);
        }
        String receiptId = body.optionalText("receiptId", Receipt.MAX_LENGTH)
                .map(r -> Receipt.require("receiptId", r)).orElse(null);
        return new DealService.NewDeal(memberId, merchantId, type, amount, points,
                body.optionalInstant("occurredAt").orElse(null), receiptId);
    }

    /** Both fields optional here: which one a refund takes depends on the deal's type, known once it is read. */
    static DealService.RefundRequest parseRefund(JsonFields body) {
        return new DealService.RefundRequest(body.optionalLong("amount", 1).orElse(null),
                body.optionalLong("points", 1).orElse(null));
    }

    @Override
    protected Priming priming() {
        return new Priming()
                // every field parses; occurredAt, read last, is refused, so nothing is written
                .request("POST", "/deals", Map.of(), "{\"memberId\":\"" + Priming.ABSENT_ID + "\",\"merchantId\":\"" + Priming.ABSENT_ID
                        + "\",\"type\":\"use\",\"points\":1,\"amount\":0,\"occurredAt\":\"not-an-instant\"}", Caller.admin())
                .request("GET", "/deals/{dealId}", Map.of("dealId", Priming.ABSENT_ID), null, Caller.admin())
                // refused: the deal does not exist (404, nothing written)
                .request("POST", "/deals/{dealId}/refunds", Map.of("dealId", Priming.ABSENT_ID), "{\"amount\":1}",
                        Caller.admin())
                .request("GET", "/merchants/{merchantId}/receipts/{receiptId}",
                        Map.of("merchantId", Priming.ABSENT_ID, "receiptId", Priming.ABSENT_ID), null, Caller.admin())
                .responseTypes(Deal.class, Refund.class)
                .step("idempotency", idempotency::prime);
    }
}
