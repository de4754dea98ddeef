package com.onepoint.dashboard;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.batch.StreamBatch;
import com.onepoint.shared.dynamo.StreamImages;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.DashboardTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;


/**
 * DashboardProjector: consumes the members and points table streams and keeps the dashboard table in step. A deals
 * stream record is projected the same way, but template.yaml sends deals through {@link DashboardDealEventsConsumer}
 * instead: the deals stream already has its two readers.
 * Every record is applied once and in version order by {@link DashboardProjection}, so a retried or bisected batch
 * is harmless. A record that cannot be applied is reported as the batch item failure (its sequence number) and the
 * batch stops there: Lambda resumes the shard from that record, so the records after it come again anyway, and
 * after the retries the template allows it goes to the on-failure queue.
 */
public class DashboardProjector implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private static final JsonLog LOG = JsonLog.of(DashboardProjector.class);

    private final SourceTables sources;
    private final DashboardProjection projection;

    /** Lambda entry: the client is built once per container from the environment template.yaml sets. */
    public DashboardProjector() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()));
    }

    public DashboardProjector(Env env, DynamoDbClient dynamoDb) {
        this.sources = SourceTables.from(env);
        this.projection = new DashboardProjection(dynamoDb, env.require(DashboardTable.ENV));
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return StreamBatch.inOrder(event, context == null ? "local" : context.getAwsRequestId(), LOG,
                record -> project(record).name());
    }

    private DashboardProjection.Outcome project(DynamodbEvent.DynamodbStreamRecord record) {
        DashboardProjection.Source source = sources.sourceOf(record.getEventSourceARN()).orElseThrow(() ->
                new IllegalArgumentException("record from a stream that feeds no dashboard item: " + record.getEventSourceARN()));
        String eventName = String.valueOf(record.getEventName());
        return switch (eventName) {
            case "INSERT", "MODIFY" -> projection.upsert(source, StreamImages.newImage(record));
            case "REMOVE" -> projection.remove(source, StreamImages.oldImage(record));
            default -> throw new IllegalArgumentException("unknown stream event name " + eventName);
        };
    }
}
