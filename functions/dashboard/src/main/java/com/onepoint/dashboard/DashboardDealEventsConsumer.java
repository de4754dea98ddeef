package com.onepoint.dashboard;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.batch.SqsBatch;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.DashboardTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;


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
        return SqsBatch.process(event, context == null ? "local" : context.getAwsRequestId(), LOG, "dashboard deal event",
                message -> projection.upsert(DashboardProjection.Source.DEALS, DealEventCopy.dealItemOf(message.getBody())).name());
    }
}
