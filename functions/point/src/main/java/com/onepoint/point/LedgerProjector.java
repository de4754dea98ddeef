package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.batch.StreamBatch;
import com.onepoint.shared.dynamo.StreamImages;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.LedgerTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;


/**
 * LedgerProjectorFunction: the points table's stream → the statement (ledger table), one entry per balance movement
 * (see {@link LedgerProjection}). As the dashboard projector does, a record that cannot be applied is reported as the
 * batch item failure and the batch stops there: Lambda resumes from it (bisecting), the records after it come again,
 * and after the template's retries it goes to the on-failure queue. Replays are no-ops.
 */
public class LedgerProjector implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private static final JsonLog LOG = JsonLog.of(LedgerProjector.class);

    private final LedgerProjection projection;

    public LedgerProjector() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()));
    }

    public LedgerProjector(Env env, DynamoDbClient dynamoDb) {
        this.projection = new LedgerProjection(dynamoDb, env.require(LedgerTable.ENV));
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return StreamBatch.inOrder(event, context == null ? "local" : context.getAwsRequestId(), LOG,
                record -> projection.apply(StreamImages.oldImage(record), StreamImages.newImage(record)).name());
    }
}
