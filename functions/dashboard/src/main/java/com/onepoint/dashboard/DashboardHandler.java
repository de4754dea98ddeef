package com.onepoint.dashboard;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.http.ApiHandler;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.snapstart.Priming;
import com.onepoint.shared.table.DashboardTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;

import static com.onepoint.shared.http.ApiResponses.json;

/**
 * DashboardFunction: GET /dashboard/members/{memberId} → 200 {memberId,name,status,balance,deals,nextToken?},
 * deals newest first, at most {@value DashboardService#PAGE_SIZE} per response. The next page is the same request
 * with {@code ?nextToken=} set to the previous response's nextToken.
 */
public class DashboardHandler extends ApiHandler {
    public static final String NEXT_TOKEN = "nextToken";

    private final DashboardService dashboards;

    /** Lambda entry: the client is built once per container from the environment template.yaml sets. */
    public DashboardHandler() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()));
    }

    public DashboardHandler(Env env, DynamoDbClient dynamoDb) {
        this(env, dynamoDb, DashboardService.PAGE_SIZE);
    }

    /** For tests of paging with small pages; not public, so the local runtime never picks it. */
    DashboardHandler(Env env, DynamoDbClient dynamoDb, int pageSize) {
        this.dashboards = new DashboardService(dynamoDb, env.require(DashboardTable.ENV), pageSize);
    }

    @Override
    protected APIGatewayProxyResponseEvent route(ApiRequest request) {
        return switch (request.routeKey()) {
            case "GET /dashboard/members/{memberId}" -> {
                request.caller().requireAdmin(); // the membership manager's view, not a POS's
                yield json(200, dashboards.get(request.pathId("memberId"), request.queryParameter(NEXT_TOKEN)));
            }
            default -> throw noRoute(request);
        };
    }

    @Override
    protected Priming priming() {
        return new Priming()
                .request("GET", "/dashboard/members/{memberId}", Map.of("memberId", Priming.ABSENT_ID), null, Caller.admin())
                .responseTypes(DashboardService.MemberDashboard.class);
    }
}
