package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.table.AdjustmentsTable;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LedgerAuditFunction: the daily run of {@link LedgerAudit} over every member. A run that fails (a scan or a
 * publish) throws, so the schedule's retry policy runs it again; reading is all it does besides publishing.
 */
public class LedgerAuditSchedule implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final LedgerAudit audit;

    public LedgerAuditSchedule() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()), AwsClients.eventBridge(Env.system()), Clock.systemUTC());
    }

    public LedgerAuditSchedule(Env env, DynamoDbClient dynamoDb, EventBridgeClient events, Clock clock) {
        this.audit = audit(env, dynamoDb, events, clock);
    }

    static LedgerAudit audit(Env env, DynamoDbClient dynamoDb, EventBridgeClient events, Clock clock) {
        return new LedgerAudit(dynamoDb, events, env.require("EVENT_BUS_NAME"), new LedgerAudit.Tables(
                env.require(PointsTable.ENV), env.require(DealsTable.ENV), env.require(AdjustmentsTable.ENV)), clock);
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        LedgerAudit.Report report = audit.all(context == null ? "local" : context.getAwsRequestId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("membersChecked", report.membersChecked());
        out.put("discrepancies", report.discrepancies().size());
        return out;
    }
}
