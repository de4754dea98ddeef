package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.SettlementStatus;
import com.onepoint.shared.dynamo.StreamImages;
import com.onepoint.shared.event.EventType;
import com.onepoint.shared.event.SettlementEventDetail;
import com.onepoint.shared.json.Json;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.BillingTable;
import com.onepoint.shared.table.BillingTable.MerchantMonth;
import com.onepoint.shared.table.BillingTable.Settlement;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * BillingEventsFunction: the billing table stream → {@code MerchantSettled} on the OnePoint bus.
 *
 * <p>Publishing from the stream is the outbox: the settlement write and the "message" are one commit, so a settle
 * that dies right after its write loses no event, and neither the API nor the monthly run publish anything
 * themselves. A settlement is written once and never changed, so exactly one stream record turns an item SETTLED;
 * the template's filter delivers only those. Redeliveries publish again with the same deterministic
 * {@code eventId = settlement:<merchantId>:<billingMonth>}, which consumers deduplicate on.
 */
public class SettlementPublisher implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    public static final String ENV_EVENT_BUS = "EVENT_BUS_NAME";
    /** PutEvents takes at most 10 entries per call. */
    private static final int MAX_ENTRIES = 10;
    private static final JsonLog LOG = JsonLog.of(SettlementPublisher.class);

    private final EventBridgeClient events;
    private final String busName;

    public SettlementPublisher() {
        this(Env.system(), AwsClients.eventBridge(Env.system()));
    }

    public SettlementPublisher(Env env, EventBridgeClient events) {
        this.events = events;
        this.busName = env.require(ENV_EVENT_BUS);
    }

    static String eventId(String merchantId, String billingMonth) {
        return "settlement:" + merchantId + ":" + billingMonth;
    }

    /** The settlement a record makes, if it is the one that turned its item SETTLED. */
    static Optional<Settlement> settlementMadeBy(DynamodbEvent.DynamodbStreamRecord record) {
        MerchantMonth before = StreamImages.oldItem(record, BillingTable.SCHEMA);
        if (before != null && before.status() == SettlementStatus.SETTLED) {
            return Optional.empty();
        }
        MerchantMonth after = StreamImages.newItem(record, BillingTable.SCHEMA);
        return after == null ? Optional.empty() : after.settlement();
    }

    static SettlementEventDetail detail(Settlement s) {
        return new SettlementEventDetail(eventId(s.merchantId(), s.billingMonth()), s.settledAt().toString(),
                EventType.SCHEMA_VERSION, s.merchantId(), s.billingMonth(), s.usedPoints(), s.useCount(),
                s.adjustments(), s.settlementAmount());
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        List<Integer> entryRecord = new ArrayList<>(); // the record index each entry came from
        for (int i = 0; i < records.size(); i++) {
            Optional<Settlement> settlement;
            try {
                settlement = settlementMadeBy(records.get(i));
            } catch (RuntimeException e) {
                Published before = publish(entries, entryRecord, i); // what came before this record still goes out
                return failAt(records, before.failedAt(), requestId, before.error() != null ? before.error()
                        : "unreadable record: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            settlement.ifPresent(s -> {
                SettlementEventDetail detail = detail(s);
                entries.add(PutEventsRequestEntry.builder()
                        .eventBusName(busName)
                        .source(EventType.MerchantSettled.source())
                        .detailType(EventType.MerchantSettled.name())
                        .time(s.settledAt())
                        .detail(Json.write(detail))
                        .build());
            });
            while (entryRecord.size() < entries.size()) {
                entryRecord.add(i);
            }
        }
        Published published = publish(entries, entryRecord, records.size());
        if (published.failedAt() < records.size()) {
            return failAt(records, published.failedAt(), requestId, published.error());
        }
        LOG.info(requestId, "settlements published", Map.of("records", records.size(), "published", entries.size()));
        return new StreamsEventResponse(List.of());
    }

    /** Where publishing stopped: the index of the first record with an unpublished entry, and why. */
    private record Published(int failedAt, String error) {
    }

    /** Publishes the entries in order, 10 a call, stopping at the first failure; {@code end} when all went out. */
    private Published publish(List<PutEventsRequestEntry> entries, List<Integer> entryRecord, int end) {
        for (int from = 0; from < entries.size(); from += MAX_ENTRIES) {
            List<PutEventsRequestEntry> chunk = entries.subList(from, Math.min(entries.size(), from + MAX_ENTRIES));
            try {
                PutEventsResponse response = events.putEvents(b -> b.entries(chunk));
                if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                    List<PutEventsResultEntry> results = response.entries();
                    for (int k = 0; k < results.size(); k++) {
                        if (results.get(k).errorCode() != null) {
                            return new Published(entryRecord.get(from + k),
                                    results.get(k).errorCode() + ": " + results.get(k).errorMessage());
                        }
                    }
                    return new Published(entryRecord.get(from), response.failedEntryCount() + " entries failed");
                }
            } catch (RuntimeException e) {
                return new Published(entryRecord.get(from), e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return new Published(end, null);
    }

    private static StreamsEventResponse failAt(List<DynamodbEvent.DynamodbStreamRecord> records, int index,
                                               String requestId, String reason) {
        DynamodbEvent.DynamodbStreamRecord record = records.get(index);
        String sequence = record.getDynamodb() == null || record.getDynamodb().getSequenceNumber() == null
                ? "" : record.getDynamodb().getSequenceNumber();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("records", records.size());
        fields.put("failedFrom", sequence);
        fields.put("error", reason);
        LOG.error(requestId, "settlements not published", fields);
        return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(sequence)));
    }
}
