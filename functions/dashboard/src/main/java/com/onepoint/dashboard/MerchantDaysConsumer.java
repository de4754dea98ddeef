package com.onepoint.dashboard;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.BusinessMonth;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.MerchantDaysTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MerchantDaysFunction: the deal events a rule puts on the merchant-days queue → the per-merchant daily aggregates
 * (the manager's chart), each change once ({@link MerchantDaysWriter}). Messages are independent (ADDs commute, so
 * order does not matter), each failure is reported alone and the rest of the batch stands; after 5 receives SQS moves a
 * failing message to the dead-letter queue.
 */
public class MerchantDaysConsumer implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final JsonLog LOG = JsonLog.of(MerchantDaysConsumer.class);

    private final MerchantDaysWriter writer;
    private final ZoneId zone;

    /** Lambda entry: the client is built once per container from the environment template.yaml sets. */
    public MerchantDaysConsumer() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()), Clock.systemUTC());
    }

    public MerchantDaysConsumer(Env env, DynamoDbClient dynamoDb, Clock clock) {
        this.writer = new MerchantDaysWriter(dynamoDb, env.require(MerchantDaysTable.ENV),
                env.require(MerchantDaysTable.Applied.ENV), clock);
        this.zone = ZoneId.of(env.get(BusinessMonth.ENV_TIME_ZONE, BusinessMonth.DEFAULT_ZONE.getId()));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        long started = System.nanoTime();
        List<SQSEvent.SQSMessage> messages = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : messages) {
            try {
                MerchantDayChange change = MerchantDayChange.of(message.getBody(), zone);
                String outcome = change == null ? "NOTHING_TO_COUNT" : writer.apply(change).name();
                outcomes.merge(outcome, 1, Integer::sum);
            } catch (RuntimeException e) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                // the message id and the reason only: bodies stay out of the logs
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("messageId", message.getMessageId());
                failed.put("receiveCount", message.getAttributes() == null ? null
                        : message.getAttributes().get("ApproximateReceiveCount"));
                failed.put("exception", e.getClass().getName());
                failed.put("detail", String.valueOf(e.getMessage()));
                LOG.warn(requestId, "merchant day change not applied", failed);
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("messages", messages.size());
        fields.put("outcomes", outcomes);
        fields.put("failed", failures.size());
        fields.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        LOG.info(requestId, "merchant days batch", fields);
        return new SQSBatchResponse(failures);
    }
}
