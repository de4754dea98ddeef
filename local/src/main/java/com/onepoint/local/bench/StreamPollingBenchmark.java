package com.onepoint.local.bench;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.onepoint.devkit.FunctionInvoker;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.RecordFilter;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.streams.StreamPoller;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What idle stream pollers cost once the streams hold N records: one poller per DynamoDB event of the template
 * (seven), N writes to the deals table, every record delivered, then 10 s of nothing, and the pollers' CPU in it.
 * The engine reads a stream from the iterator's position, so this should not grow with N. Not a unit test:
 * {@code java @local/jvm.options -cp local/target/onepoint-local.jar com.onepoint.local.bench.StreamPollingBenchmark [writes]}.
 */
public final class StreamPollingBenchmark {
    private StreamPollingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"));
        List<String> streams = List.of("DealsTable", "DealsTable", "DealsTable", "MembersTable", "MembersTable",
                "PointsTable", "BillingTable"); // the template's seven DynamoDB events, by the table they read
        try (LocalDynamo dynamo = LocalDynamo.start(template)) {
            AtomicLong delivered = new AtomicLong();
            FunctionInvoker counting = (function, event) -> {
                delivered.addAndGet(((DynamodbEvent) event).getRecords().size());
                return null;
            };
            List<StreamPoller> pollers = new ArrayList<>();
            for (String table : streams) {
                StreamPoller.Config config = new StreamPoller.Config(dynamo.streamArn(table), false, 100, Duration.ZERO,
                        false, -1, false, null, RecordFilter.all(), true);
                pollers.add(new StreamPoller("Poller" + pollers.size(), "arn:bench", config, dynamo.streams(), null,
                        counting, Clock.systemUTC()).start());
            }
            String deals = dynamo.ref("DealsTable");
            for (int i = 0; i < writes; i++) {
                dynamo.client().putItem(b -> b.tableName(deals).item(Map.of(
                        "dealId", AttributeValue.fromS(UUID.randomUUID().toString()), "memberId", AttributeValue.fromS("m"))));
            }
            while (delivered.get() < 3L * writes) { // three pollers read the deals stream
                Thread.sleep(200);
            }
            Thread.sleep(2000);
            CpuAccount cpu = CpuAccount.start();
            Thread.sleep(10_000);
            long pollerNanos = cpu.spent().byGroup().get(CpuAccount.STREAM_POLLERS);
            System.out.printf("%d stream records, %d idle pollers: their threads busy %.0f ms per second%n",
                    writes, pollers.size(), pollerNanos / 1e6 / 10);
            pollers.forEach(StreamPoller::close);
        }
        System.exit(0);
    }
}
