package com.onepoint.dashboard;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.http.ApiHandler;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.snapstart.Priming;
import com.onepoint.shared.domain.BusinessMonth;
import com.onepoint.shared.table.DashboardTable;
import com.onepoint.shared.table.MerchantDaysTable;
import com.onepoint.shared.table.MerchantsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;

import static com.onepoint.shared.http.ApiResponses.json;

/**
 * DashboardFunction: GET /dashboard/members/{memberId} → 200 {memberId,name,status,balance,deals,nextToken?},
 * deals newest first, at most {@value DashboardService#PAGE_SIZE} per response. The next page is the same request
 * with {@code ?nextToken=} set to the previous response's nextToken. GET /merchants/{merchantId}/days?month=YYYYMM →
 * the month's totals and one entry per day from the per-merchant daily aggregates (the admin, or that merchant).
 */
public class DashboardHandler extends ApiHandler {
    public static final String NEXT_TOKEN = "nextToken";

    private final DashboardService dashboards;
    private final MerchantDaysService merchantDays;

    /** Lambda entry: the client is built once per container from the environment template.yaml sets. */
    public DashboardHandler() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()), Clock.systemUTC());
    }

    public DashboardHandler(Env env, DynamoDbClient dynamoDb, Clock clock) {
        this(env, dynamoDb, DashboardService.PAGE_SIZE, clock);
    }

    /** For tests of paging with small pages; not public, so the local runtime never picks it. */
    DashboardHandler(Env env, DynamoDbClient dynamoDb, int pageSize) {
        this(env, dynamoDb, pageSize, Clock.systemUTC());
    }

    private DashboardHandler(Env env, DynamoDbClient dynamoDb, int pageSize, Clock clock) {
        this.dashboards = new DashboardService(dynamoDb, env.require(DashboardTable.ENV), pageSize);
        this.merchantDays = new MerchantDaysService(dynamoDb, env.require(MerchantDaysTable.ENV),
                env.require(MerchantsTable.ENV), clock,
                ZoneId.of(env.get(BusinessMonth.ENV_TIME_ZONE, BusinessMonth.DEFAULT_ZONE.getId())));
    }

    @Override
    protected APIGatewayProxyResponseEvent route(ApiRequest request) {
        return switch (request.routeKey()) {
            case "GET /dashboard/members/{memberId}" -> {
                request.caller().requireAdmin(); // the membership manager's view, not a POS's
                yield json(200, dashboards.get(request.pathId("memberId"), request.queryParameter(NEXT_TOKEN)));
            }
            case "GET /merchants/{merchantId}/days" -> {
                String merchantId = request.pathId("merchantId");
                request.caller().requireMerchant(merchantId); // checked before anything is read
                String month = merchantDays.monthOrCurrent(request.queryParameter("month"));
                yield json(200, merchantDays.month(merchantId, month));
            }
            default -> throw noRoute(request);
        };
    }

    @Override
    protected Priming priming() {
        return new Priming()
                .request("GET", "/dashboard/members/{memberId}", Map.of("memberId", Priming.ABSENT_ID), null, Caller.admin())
                .request("GET", "/merchants/{merchantId}/days", Map.of("merchantId", Priming.ABSENT_ID), null,
                        Caller.admin())
                .responseTypes(DashboardService.MemberDashboard.class, MerchantDaysService.MerchantMonth.class);
    }
}
