package com.onepoint.dashboard;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.batch.SqsBatch;
import com.onepoint.shared.domain.BusinessMonth;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.MerchantDaysTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.ZoneId;

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
        return SqsBatch.process(event, context == null ? "local" : context.getAwsRequestId(), LOG, "merchant day change",
                message -> {
                    MerchantDayChange change = MerchantDayChange.of(message.getBody(), zone);
                    return change == null ? "NOTHING_TO_COUNT" : writer.apply(change).name();
                });
    }
}
