package com.onepoint.merchant;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.ApiKeys;
import com.onepoint.shared.domain.Merchant;
import com.onepoint.shared.domain.Rate;
import com.onepoint.shared.http.ApiHandler;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.http.JsonFields;
import com.onepoint.shared.snapstart.Priming;
import com.onepoint.shared.table.MerchantsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.Map;

import static com.onepoint.shared.http.ApiResponses.json;

/** MerchantFunction: POST /merchants, GET /merchants/{merchantId}, POST /merchants/{merchantId}/api-key (rotation). */
public class MerchantHandler extends ApiHandler {
    private final MerchantService merchants;

    public MerchantHandler() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()), Clock.systemUTC());
    }

    public MerchantHandler(Env env, DynamoDbClient dynamoDb, Clock clock) {
        this.merchants = new MerchantService(dynamoDb, env.require(MerchantsTable.ENV), clock);
    }

    @Override
    protected APIGatewayProxyResponseEvent route(ApiRequest request) {
        Caller caller = request.caller();
        return switch (request.routeKey()) {
            case "POST /merchants" -> {
                caller.requireAdmin();
                JsonFields body = request.jsonBody();
                String merchantId = body.requiredId("merchantId");
                String name = body.requiredText("name", 100);
                Rate earnRate = body.optionalDecimal("earnRate").map(v -> Rate.parse("earnRate", v)).orElse(Rate.DEFAULT_EARN);
                Rate settlementRate = body.optionalDecimal("settlementRate")
                        .map(v -> Rate.parse("settlementRate", v)).orElse(Rate.DEFAULT_SETTLEMENT);
                yield json(201, merchants.register(merchantId, name, earnRate, settlementRate));
            }
            case "GET /merchants/{merchantId}" -> {
                caller.requireAdmin();
                yield json(200, merchants.get(request.pathId("merchantId")));
            }
            case "POST /merchants/{merchantId}/api-key" -> {
                String merchantId = request.pathId("merchantId");
                caller.requireMerchant(merchantId); // the admin, or a merchant replacing its own (leaked) key
                yield json(201, merchants.rotateKey(merchantId));
            }
            default -> throw noRoute(request);
        };
    }

    @Override
    protected Priming priming() {
        return new Priming()
                // every field parses; settlementRate, read last, is refused, so nothing is written
                .request("POST", "/merchants", Map.of(), "{\"merchantId\":\"" + Priming.ABSENT_ID
                        + "\",\"name\":\"Priming\",\"earnRate\":0.01,\"settlementRate\":2}", Caller.admin())
                .request("GET", "/merchants/{merchantId}", Map.of("merchantId", Priming.ABSENT_ID), null, Caller.admin())
                // another merchant's key rotation is refused before anything is read or written
                .request("POST", "/merchants/{merchantId}/api-key", Map.of("merchantId", Priming.ABSENT_ID), null,
                        Caller.merchant("snapstart-priming-other"))
                .responseTypes(MerchantService.Registration.class, MerchantService.Rotation.class, Merchant.class)
                .step("api key generation", () -> ApiKeys.sha256Hex(ApiKeys.generate()));
    }
}
