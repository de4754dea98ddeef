package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.http.ApiHandler;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.snapstart.Priming;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static com.onepoint.shared.http.ApiResponses.json;

/** PointFunction: GET /points/{memberId}, a strongly consistent balance read. */
public class PointHandler extends ApiHandler {
    private final DynamoDbClient db;
    private final String pointsTable;

    public PointHandler() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()));
    }

    public PointHandler(Env env, DynamoDbClient dynamoDb) {
        this.db = dynamoDb;
        this.pointsTable = env.require(PointsTable.ENV);
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
        Map<String, AttributeValue> item = db.getItem(b -> b.tableName(pointsTable)
                .key(Items.key(PointsTable.MEMBER_ID, memberId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            throw new ApiException(404, "MEMBER_NOT_FOUND", "member " + memberId + " has no point account",
                    Map.of("memberId", memberId));
        }
        return PointsTable.fromItem(item);
    }

    @Override
    protected Priming priming() {
        return new Priming()
                .request("GET", "/points/{memberId}", Map.of("memberId", Priming.ABSENT_ID), null, Caller.admin())
                .responseTypes(PointAccount.class);
    }
}
