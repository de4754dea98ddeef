package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.batch.SqsBatch;
import com.onepoint.shared.json.Json;
import com.onepoint.shared.json.JsonSyntaxException;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.PointsTable;
import com.onepoint.shared.table.RefundsTable;
import com.onepoint.shared.event.EventType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;

/**
 * PointRestoreFunction: consumes the restore queue, where a rule puts every DealCancelled of a use, and gives the
 * points back through {@link PointRestorer}. Reports partial batch failures: only the messages that failed return
 * to the queue, and after 5 receives SQS moves them to the dead-letter queue.
 */
public class RestoreQueueConsumer implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final JsonLog LOG = JsonLog.of(RestoreQueueConsumer.class);
    private final PointRestorer restorer;

    public RestoreQueueConsumer() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()), Clock.systemUTC());
    }

    public RestoreQueueConsumer(Env env, DynamoDbClient dynamoDb, Clock clock) {
        this.restorer = new PointRestorer(dynamoDb, env.require(DealsTable.ENV), env.require(PointsTable.ENV),
                env.require(RefundsTable.ENV), clock);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.process(event, context == null ? "local" : context.getAwsRequestId(), LOG, "restore", message -> {
            Restore restore = restoreOf(message.getBody());
            return (restore.refundId() == null ? restorer.restore(restore.dealId())
                    : restorer.restoreRefund(restore.refundId())).name();
        });
    }

    /** What a message asks to restore: a cancelled use (refundId null) or one refund of a use. */
    record Restore(String dealId, String refundId) {
    }

    /**
     * The message is the EventBridge envelope of a DealCancelled or DealRefunded event of a use; only the deal id and,
     * for a refund, the refund's id are taken from it.
     */
    static Restore restoreOf(String body) {
        Object envelope;
        try {
            envelope = Json.parse(body);
        } catch (JsonSyntaxException e) {
            throw new IllegalArgumentException("message is not JSON");
        }
        if (!(Json.at(envelope, "detail", "dealId") instanceof String dealId)) {
            throw new IllegalArgumentException("message has no detail.dealId");
        }
        if (!EventType.DealRefunded.name().equals(Json.at(envelope, "detail-type"))) {
            return new Restore(dealId, null);
        }
        if (!(Json.at(envelope, "detail", "refund", "refundId") instanceof String refundId)) {
            throw new IllegalArgumentException("DealRefunded message has no detail.refund.refundId");
        }
        return new Restore(dealId, refundId);
    }

    static String dealIdOf(String body) {
        return restoreOf(body).dealId();
    }
}
