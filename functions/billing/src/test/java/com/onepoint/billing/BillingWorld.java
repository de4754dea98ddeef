package com.onepoint.billing;

import com.onepoint.devkit.events.RecordingEventBridge;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.onepoint.devkit.CompositeRefs;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.ResourceRefs;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.Merchant;
import com.onepoint.shared.domain.Rate;
import com.onepoint.shared.table.BillingTable;
import com.onepoint.shared.table.MerchantsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.onepoint.devkit.ApiEvents.get;
import static com.onepoint.devkit.ApiEvents.post;

/**
 * The billing functions wired as template.yaml wires them, on the embedded engine: the API, the deals-stream
 * projector, the monthly run and the settlement publisher (on a recording EventBridge). Merchants are put straight
 * into the merchants table with the shared mapping. The clock can be moved. One per test class.
 */
final class BillingWorld implements AutoCloseable {
    static final String BUS = "onepoint-dev";
    final SamTemplate template;
    final LocalDynamo dynamo;
    final MovableClock clock;
    final Env apiEnv;
    final Env viewEnv;
    final BillingHandler api;
    final BillingViewProjector projector;
    final MonthlySettlement monthly;
    final SettlementPublisher publisher;
    final RecordingEventBridge events = new RecordingEventBridge();

    BillingWorld(Instant now) {
        template = SamTemplate.load(Path.of("template.yaml"));
        dynamo = LocalDynamo.start(template);
        clock = new MovableClock(now);
        // the bus is not a table: resolve !Ref EventBus the way the stack would name it
        ResourceRefs bus = new ResourceRefs() {
            @Override
            public String ref(String logicalId) {
                return logicalId.equals("EventBus") ? BUS : null;
            }

            @Override
            public String getAtt(String logicalId, String attribute) {
                return null;
            }
        };
        ResourceRefs refs = CompositeRefs.of(dynamo, bus);
        apiEnv = new Env(template.functionEnvironment("BillingFunction", refs));
        viewEnv = new Env(template.functionEnvironment("BillingViewFunction", refs));
        api = new BillingHandler(apiEnv, dynamo.client(), clock);
        // the projector's clock only stamps markers and their TTL (months come from occurredAt); it must be the real
        // one, or the engine's TTL sweeper deletes markers "expired" against a test date in the past
        projector = new BillingViewProjector(viewEnv, dynamo.client(), Clock.systemUTC());
        monthly = new MonthlySettlement(new Env(template.functionEnvironment("MonthlySettlementFunction", refs)),
                dynamo.client(), clock);
        publisher = new SettlementPublisher(new Env(template.functionEnvironment("BillingEventsFunction", refs)), events);
    }

    /** A projector on another client (e.g. one that injects faults), same tables. */
    BillingViewProjector projectorOn(DynamoDbClient client) {
        return new BillingViewProjector(viewEnv, client, Clock.systemUTC());
    }

    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers a merchant with the given settlement rate (null: the default 0.98). */
    String merchant(String merchantId, String settlementRate) {
        Rate rate = settlementRate == null ? Rate.DEFAULT_SETTLEMENT : Rate.of(settlementRate);
        dynamo.client().putItem(b -> b.tableName(apiEnv.require(MerchantsTable.ENV)).item(MerchantsTable.SCHEMA.itemToMap(
                new Merchant(merchantId, "Merchant " + merchantId, Rate.DEFAULT_EARN, rate, clock.instant(),
                        "0".repeat(64), null), true)));
        return merchantId;
    }

    String merchant() {
        return merchant(uniqueId("shop"), null);
    }

    StreamsEventResponse project(DynamodbEvent event) {
        return projector.handleRequest(event, null);
    }

    APIGatewayProxyResponseEvent settle(String merchantId, String billingMonth) {
        return api.handleRequest(post("/billings", Map.of("merchantId", merchantId, "billingMonth", billingMonth)), null);
    }

    APIGatewayProxyResponseEvent settlement(String merchantId, String billingMonth) {
        return api.handleRequest(get("/billings/{merchantId}/{billingMonth}",
                Map.of("merchantId", merchantId, "billingMonth", billingMonth)), null);
    }

    APIGatewayProxyResponseEvent api(APIGatewayProxyRequestEvent event) {
        return api.handleRequest(event, null);
    }

    Map<String, AttributeValue> item(String merchantId, String billingMonth) {
        Map<String, AttributeValue> item = dynamo.client().getItem(b -> b.tableName(apiEnv.require(BillingTable.ENV))
                .key(BillingTable.key(merchantId, billingMonth)).consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    BillingTable.View view(String merchantId, String billingMonth) {
        return BillingTable.viewOf(item(merchantId, billingMonth));
    }

    static List<String> failures(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }


    @Override
    public void close() {
        dynamo.close();
    }

    /** A clock tests can move; thread-safe. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
