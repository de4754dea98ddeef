package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.Adjustment;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.http.ApiHandler;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.http.JsonFields;
import com.onepoint.shared.idempotency.IdempotentRequests;
import com.onepoint.shared.snapstart.Priming;
import com.onepoint.shared.table.AdjustmentsTable;
import com.onepoint.shared.table.LedgerTable;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

import java.time.Clock;
import java.util.Map;

import static com.onepoint.shared.http.ApiResponses.json;

/**
 * PointFunction: GET /points/{memberId} (the balance), GET /members/{memberId}/ledger (the statement),
 * POST /members/{memberId}/adjustments (admin, Idempotency-Key) and POST /admin/audit (admin, the ledger audit on
 * demand; LedgerAuditFunction runs the same audit daily).
 */
public class PointHandler extends ApiHandler {
    static final String AUDIT_MEMBER = "memberId";
    static final String LIMIT = "limit";

    private final Accounts accounts;
    private final LedgerService ledger;
    private final AdjustmentService adjustments;
    private final LedgerAudit audit;
    private final IdempotentRequests idempotency;

    public PointHandler() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()), AwsClients.eventBridge(Env.system()), Clock.systemUTC());
    }

    public PointHandler(Env env, DynamoDbClient dynamoDb, EventBridgeClient events, Clock clock) {
        String points = env.require(PointsTable.ENV);
        this.accounts = new Accounts(dynamoDb, points);
        this.ledger = new LedgerService(dynamoDb, env.require(LedgerTable.ENV), accounts);
        this.adjustments = new AdjustmentService(dynamoDb, env.require(AdjustmentsTable.ENV), points,
                env.require(MembersTable.ENV), clock);
        this.audit = LedgerAuditSchedule.audit(env, dynamoDb, events, clock);
        this.idempotency = IdempotentRequests.fromEnvironment(env, dynamoDb);
    }

    @Override
    protected APIGatewayProxyResponseEvent route(ApiRequest request) {
        Caller caller = request.caller(); // any authenticated caller may read a balance or a statement
        return switch (request.routeKey()) {
            case "GET /points/{memberId}" -> json(200, balance(request.pathId("memberId")));
            case "GET /members/{memberId}/ledger" -> {
                String memberId = request.pathId("memberId");
                yield json(200, ledger.statement(memberId, limit(request.queryParameter(LIMIT)),
                        request.queryParameter(LedgerService.NEXT_TOKEN)));
            }
            case "POST /members/{memberId}/adjustments" -> {
                caller.requireAdmin(); // a goodwill credit or a correction is the manager's, never a POS's
                String memberId = request.pathId("memberId");
                yield idempotency.respond(request, memberId, () -> {
                    JsonFields body = request.jsonBody();
                    long points = body.requiredNonZeroLong("points");
                    String reason = body.requiredText("reason", 200);
                    return json(201, adjustments.adjust(memberId, points, reason));
                });
            }
            case "POST /admin/audit" -> {
                caller.requireAdmin();
                String memberId = request.queryParameter(AUDIT_MEMBER);
                yield json(200, memberId == null
                        ? audit.all(request.requestId())
                        : audit.one(request.requestId(), com.onepoint.shared.domain.Ids.require(AUDIT_MEMBER, memberId)));
            }
            default -> throw noRoute(request);
        };
    }

    public PointAccount balance(String memberId) {
        return accounts.get(memberId);
    }

    static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return LedgerService.DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= LedgerService.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.validation(LIMIT, "must be a whole number from 1 to " + LedgerService.MAX_LIMIT);
    }

    @Override
    protected Priming priming() {
        return new Priming()
                .request("GET", "/points/{memberId}", Map.of("memberId", Priming.ABSENT_ID), null, Caller.admin())
                .request("GET", "/members/{memberId}/ledger", Map.of("memberId", Priming.ABSENT_ID), null, Caller.admin())
                // points 0 is refused before anything is read or written
                .request("POST", "/members/{memberId}/adjustments", Map.of("memberId", Priming.ABSENT_ID),
                        "{\"points\":0,\"reason\":\"priming\"}", Caller.admin())
                // a merchant may not run the audit: refused before anything is read
                .request("POST", "/admin/audit", Map.of(), null, Caller.merchant(Priming.ABSENT_ID))
                .responseTypes(PointAccount.class, LedgerService.Statement.class, Adjustment.class, LedgerAudit.Report.class)
                .step("idempotency", idempotency::prime);
    }
}
