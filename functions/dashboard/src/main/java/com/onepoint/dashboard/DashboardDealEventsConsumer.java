package com.onepoint.dashboard;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.DashboardTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DashboardDealEventsFunction: the deal events a rule puts on the dashboard's queue → the deals of the dashboard.
 * Each event carries the whole deal and its item version, and {@link DashboardProjection} writes it only over an
 * older copy, so a duplicate, a redelivery, or an old version arriving after a newer one changes nothing.
 * Messages are independent (SQS keeps no order), so each failure is reported alone and the rest of the batch stands;
 * after 5 receives SQS moves a failing message to the dead-letter queue.
 */
public class DashboardDealEventsConsumer implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final JsonLog LOG = JsonLog.of(DashboardDealEventsConsumer.class);

    private final DashboardProjection projection;

    /** Lambda entry: the client is built once per container from the environment template.yaml sets. */
    public DashboardDealEventsConsumer() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()));
    }

    public DashboardDealEventsConsumer(Env env, DynamoDbClient dynamoDb) {
        this.projection = new DashboardProjection(dynamoDb, env.require(DashboardTable.ENV));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        long started = System.nanoTime();
        List<SQSEvent.SQSMessage> messages = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        int applied = 0;
        int alreadyApplied = 0;
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : messages) {
            try {
                DashboardProjection.Outcome outcome = projection.upsert(DashboardProjection.Source.DEALS,
                        DealEventCopy.dealItemOf(message.getBody()));
                if (outcome == DashboardProjection.Outcome.APPLIED) {
                    applied++;
                } else {
                    alreadyApplied++;
                }
            } catch (RuntimeException e) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                // the message id and the reason only: bodies stay out of the logs
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("messageId", message.getMessageId());
                failed.put("receiveCount", message.getAttributes() == null ? null
                        : message.getAttributes().get("ApproximateReceiveCount"));
                failed.put("exception", e.getClass().getName());
                failed.put("detail", String.valueOf(e.getMessage()));
                LOG.warn(requestId, "deal event not applied", failed);
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("messages", messages.size());
        fields.put("applied", applied);
        fields.put("alreadyApplied", alreadyApplied);
        fields.put("failed", failures.size());
        fields.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        LOG.info(requestId, "deal events batch", fields);
        return new SQSBatchResponse(failures);
    }
}
