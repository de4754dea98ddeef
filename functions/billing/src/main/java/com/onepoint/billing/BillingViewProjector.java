package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.BillingTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * BillingViewFunction: the deals table stream → the billing view (uses and cancellations per merchant-month).
 * Exactly once per change and one write per merchant-month per batch: see {@link BillingViewWriter}.
 *
 * <p>Failures are reported per record: the sequence number of the first record not applied, so Lambda resumes there;
 * what after it was applied already is recognised by its marker on redelivery. A record that cannot be read stops the
 * batch at that record (nothing after it is applied), so a poison record is retried, bisected and finally sent to the
 * on-failure queue without skipping anything before it.
 */
public class BillingViewProjector implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private static final JsonLog LOG = JsonLog.of(BillingViewProjector.class);

    private final BillingViewWriter writer;
    private final ZoneId zone;

    public BillingViewProjector() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()), Clock.systemUTC());
    }

    public BillingViewProjector(Env env, DynamoDbClient dynamoDb, Clock clock) {
        this.writer = new BillingViewWriter(dynamoDb, env.require(BillingTable.ENV),
                env.require(BillingTable.AppliedChanges.ENV), clock);
        this.zone = BillingMonths.zone(env);
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        long started = System.nanoTime();
        String requestId = context == null ? "local" : context.getAwsRequestId();
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<DealChange> changes = new ArrayList<>();
        int firstFailed = records.size(); // index of the first record not applied; size() = none
        String error = null;
        for (int i = 0; i < records.size(); i++) {
            try {
                Optional<DealChange> change = DealChange.of(records.get(i), i, zone);
                change.ifPresent(changes::add);
            } catch (RuntimeException e) {
                firstFailed = i;
                error = "unreadable record: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                break;
            }
        }
        BillingViewWriter.Outcome outcome = writer.apply(changes);
        for (DealChange failed : outcome.failed) {
            firstFailed = Math.min(firstFailed, failed.recordIndex());
        }
        if (error == null) {
            error = outcome.firstError;
        }

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("records", records.size());
        fields.put("changes", changes.size());
        fields.put("applied", outcome.applied);
        fields.put("carried", outcome.carried);
        fields.put("duplicates", outcome.duplicates);
        fields.put("transactions", outcome.transactions);
        fields.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        if (firstFailed == records.size()) {
            LOG.info(requestId, "billing view batch", fields);
            return new StreamsEventResponse(List.of());
        }
        String sequenceNumber = sequenceNumber(records.get(firstFailed));
        fields.put("failedFrom", sequenceNumber);
        fields.put("error", String.valueOf(error));
        LOG.error(requestId, "billing view batch", fields);
        return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(sequenceNumber)));
    }

    /** "" when the record has none: Lambda then retries the whole batch, the safe reading of an unreadable record. */
    private static String sequenceNumber(DynamodbEvent.DynamodbStreamRecord record) {
        return record.getDynamodb() == null || record.getDynamodb().getSequenceNumber() == null
                ? "" : record.getDynamodb().getSequenceNumber();
    }
}
