package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.http.ApiHandler;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.snapstart.Priming;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;

import static com.onepoint.shared.http.ApiResponses.json;

/** PointFunction: GET /points/{memberId}, a strongly consistent balance read. */
public class PointHandler extends ApiHandler {
    private final DynamoDbTable<PointAccount> accounts;

    public PointHandler() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()));
    }

    public PointHandler(Env env, DynamoDbClient dynamoDb) {
        this.accounts = AwsClients.enhanced(dynamoDb).table(env.require(PointsTable.ENV), PointsTable.SCHEMA);
    }

    @Override
    protected APIGatewayProxyResponseEvent route(ApiRequest request) {
        if (!request.routeKey().equals("GET /points/{memberId}")) {
            throw noRoute(request);
        }
        request.caller(); // any authenticated caller may read a balance
        return json(200, balance(request.pathId("memberId")));
    }

    /** A POS shows this balance before a use, so it is read consistently: it reflects every committed deal. */
    public PointAccount balance(String memberId) {
        PointAccount account = accounts.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(memberId).build()).consistentRead(true).build());
        if (account == null) {
            throw new ApiException(404, "MEMBER_NOT_FOUND", "member " + memberId + " has no point account",
                    Map.of("memberId", memberId));
        }
        return account;
    }

    @Override
    protected Priming priming() {
        return new Priming()
                .request("GET", "/points/{memberId}", Map.of("memberId", Priming.ABSENT_ID), null, Caller.admin())
                .responseTypes(PointAccount.class);
    }
}
