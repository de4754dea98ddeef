package com.onepoint.local.bench;

import com.onepoint.devkit.SamTemplate;
import com.onepoint.engine.CapacityMeter;
import com.onepoint.local.DevkitEventSources;
import com.onepoint.local.LocalFunction;
import com.onepoint.local.LocalRuntime;
import com.onepoint.local.RuntimeOverrides;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cost model's measurements (docs/cost.md): for each of join, earn, use and cancel, run {@code --operations}
 * of them over HTTP, each with an Idempotency-Key, let every consumer they set off finish (outbox, bus, queues,
 * read models, restorations), and print per operation what DynamoDB on demand would bill (the engine's
 * {@link CapacityMeter}: ReturnConsumedCapacity TOTAL on every call), the Lambda invocations with their GB-seconds
 * (the template's MemorySize times the local duration rounded up to the millisecond, as Lambda bills), and the
 * API requests; then the dollars per million deals at the list prices in docs/cost.md. Not a unit test:
 * {@code java @local/jvm.options -cp local/target/onepoint-local.jar com.onepoint.local.bench.CostBenchmark
 * [--operations 1000]}, from the repository root.
 */
public final class CostBenchmark {
    /** us-east-1 list prices, 2026-12 (docs/cost.md cites the pages). */
    static final double USD_PER_MILLION_WRITE_UNITS = 0.625;
    static final double USD_PER_MILLION_READ_UNITS = 0.125;
    static final double USD_PER_GB_SECOND_ARM = 0.0000133334;
    static final double USD_PER_MILLION_LAMBDA_REQUESTS = 0.20;
    static final double USD_PER_MILLION_REST_REQUESTS = 3.50;
    static final double USD_PER_MILLION_EVENTS = 1.00;
    static final double USD_PER_MILLION_SQS_REQUESTS = 0.40;
    /** The deal mix the dollars per million deals assume: earns, uses and cancellations of uses. */
    static final double EARN_SHARE = 0.50;
    static final double USE_SHARE = 0.45;
    static final double CANCEL_SHARE = 0.05;
    static final double WRITE_UNIT_TARGET = 6;
    static final double USD_TARGET = 10;
    private static final String MERCHANT = "cost";
    private static final Pattern DEAL_ID = Pattern.compile("\"dealId\"\\s*:\\s*\"([^\"]+)\"");

    /** Invocations and billed milliseconds per function, from the runtime's interceptor. */
    private static final class Invocations {
        final Map<String, LongAdder> count = new ConcurrentHashMap<>();
        final Map<String, LongAdder> billedMs = new ConcurrentHashMap<>();

        void add(String function, long nanos) {
            count.computeIfAbsent(function, f -> new LongAdder()).increment();
            billedMs.computeIfAbsent(function, f -> new LongAdder()).add(Math.max(1, (nanos + 999_999) / 1_000_000));
        }

        void reset() {
            count.clear();
            billedMs.clear();
        }
    }

    /** What one operation kind cost, per operation. */
    record PerOperation(String kind, Map<String, CapacityMeter.Usage> tables, double readUnits, double writeUnits,
                        Map<String, Double> invocations, double gbSeconds, double lambdaRequests, double events,
                        double sqsMessages) {
        double dollars() {
            return (writeUnits * USD_PER_MILLION_WRITE_UNITS + readUnits * USD_PER_MILLION_READ_UNITS
                    + lambdaRequests * USD_PER_MILLION_LAMBDA_REQUESTS + USD_PER_MILLION_REST_REQUESTS
                    + events * USD_PER_MILLION_EVENTS + sqsMessages * 3 * USD_PER_MILLION_SQS_REQUESTS) / 1e6
                    + gbSeconds * USD_PER_GB_SECOND_ARM;
        }
    }

    private CostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchMain.options(args, List.of("--operations", "--template"),
                "CostBenchmark [--operations 1000] [--template template.yaml]");
        int operations = Integer.parseInt(options.getOrDefault("--operations", "1000"));
        SamTemplate sam = SamTemplate.load(Path.of(options.getOrDefault("--template", "template.yaml")));
        // functions the template feeds from a queue: each message costs a send, a receive and a delete
        java.util.Set<String> sqsFunctions = new java.util.HashSet<>();
        for (SamTemplate.Resource fn : sam.resourcesOfType("AWS::Serverless::Function")) {
            Object events = fn.properties().get("Events");
            if (events instanceof Map<?, ?> m && m.values().stream().anyMatch(e -> e instanceof Map<?, ?> ev && "SQS".equals(ev.get("Type")))) {
                sqsFunctions.add(fn.logicalId());
            }
        }
        PrintStream console = System.out;
        Path logFile = BenchMain.logsToFile("cost");
        Invocations invocations = new Invocations();
        DevkitEventSources sources = new DevkitEventSources(java.time.Clock.systemUTC());
        RuntimeOverrides overrides = RuntimeOverrides.defaults().withExtension(sources).withInterceptor((function, event, proceed) -> {
            long started = System.nanoTime();
            try {
                return proceed.call();
            } finally {
                invocations.add(function, System.nanoTime() - started);
            }
        });
        try (LocalRuntime runtime = LocalRuntime.start(sam, 0, overrides);
             KeepAliveClient client = new KeepAliveClient(runtime.port())) {
            CapacityMeter meter = runtime.dynamo().engine().meter();
            Map<String, Integer> memory = new TreeMap<>();
            for (LocalFunction f : runtime.functions().all()) {
                memory.put(f.logicalId(), f.memoryMb());
            }
            expect(201, client.send("POST", "/merchants", "{\"merchantId\":\"" + MERCHANT + "\",\"name\":\"Cost\"}", null));
            meter.enable();
            List<PerOperation> results = new java.util.ArrayList<>();
            String[] members = new String[operations];
            results.add(measure("join", operations, meter, invocations, memory, sources, sqsFunctions, i -> {
                members[i] = "cost-" + i;
                return expect(201, client.send("POST", "/members", "{\"memberId\":\"" + members[i] + "\",\"name\":\"Cost\"}",
                        UUID.randomUUID().toString()));
            }));
            results.add(measure("earn", operations, meter, invocations, memory, sources, sqsFunctions, i -> expect(201, client.send("POST", "/deals",
                    deal(members[i], "earn", 50_000, 0), UUID.randomUUID().toString()))));
            String[] uses = new String[operations];
            results.add(measure("use", operations, meter, invocations, memory, sources, sqsFunctions, i -> {
                String body = expect(201, client.send("POST", "/deals", deal(members[i], "use", 10_000, 100),
                        UUID.randomUUID().toString()));
                Matcher m = DEAL_ID.matcher(body);
                if (!m.find()) {
                    throw new IllegalStateException("no dealId in " + body);
                }
                uses[i] = m.group(1);
                return body;
            }));
            results.add(measure("cancel", operations, meter, invocations, memory, sources, sqsFunctions, i -> expect(202, client.send("POST",
                    "/deals/" + uses[i] + "/cancel", null, UUID.randomUUID().toString()))));
            print(console, operations, results, logFile);
        }
    }

    interface Operation {
        String run(int i) throws Exception;
    }

    private static PerOperation measure(String kind, int n, CapacityMeter meter, Invocations invocations,
                                        Map<String, Integer> memory, DevkitEventSources sources, java.util.Set<String> sqsFunctions,
                                        Operation operation) throws Exception {
        LocalBenchmark.awaitQuiet();
        meter.reset();
        invocations.reset();
        long eventsBefore = sources.bus().published();
        for (int i = 0; i < n; i++) {
            operation.run(i);
        }
        LocalBenchmark.awaitQuiet(); // everything the operations set off has run
        Map<String, CapacityMeter.Usage> tables = meter.usage();
        double read = tables.values().stream().mapToDouble(CapacityMeter.Usage::readUnits).sum() / n;
        double write = tables.values().stream().mapToDouble(CapacityMeter.Usage::writeUnits).sum() / n;
        Map<String, Double> perFunction = new TreeMap<>();
        double gbSeconds = 0;
        double requests = 0;
        for (Map.Entry<String, LongAdder> e : invocations.count.entrySet()) {
            double count = e.getValue().sum() / (double) n;
            perFunction.put(e.getKey(), count);
            requests += count;
            gbSeconds += invocations.billedMs.get(e.getKey()).sum() / 1000.0 * memory.getOrDefault(e.getKey(), 512) / 1024.0 / n;
        }
        double events = (sources.bus().published() - eventsBefore) / (double) n;
        double queued = perFunction.entrySet().stream().filter(e -> sqsFunctions.contains(e.getKey()))
                .mapToDouble(Map.Entry::getValue).sum();
        return new PerOperation(kind, tables, read, write, perFunction, gbSeconds, requests, events, queued);
    }

    private static void print(PrintStream out, int n, List<PerOperation> results, Path logFile) {
        out.printf("OnePoint cost model: %d operations of each kind over HTTP, each with an Idempotency-Key, every consumer drained%n", n);
        Map<String, PerOperation> byKind = new LinkedHashMap<>();
        for (PerOperation r : results) {
            byKind.put(r.kind(), r);
            out.printf("  %-6s  %.2f write units, %.2f read units, %.2f Lambda invocations, %.5f GB-s, $%.2f per million%n",
                    r.kind(), r.writeUnits(), r.readUnits(), r.lambdaRequests(), r.gbSeconds(), r.dollars() * 1e6);
            r.tables().forEach((t, u) -> out.printf("          %-40s write %.2f, read %.2f, calls %.2f%n", t,
                    u.writeUnits() / n, u.readUnits() / n, u.calls() / (double) n));
            out.printf("          functions %s%n", r.invocations());
        }
        double writes = EARN_SHARE * byKind.get("earn").writeUnits() + USE_SHARE * byKind.get("use").writeUnits()
                + CANCEL_SHARE * (byKind.get("use").writeUnits() + byKind.get("cancel").writeUnits());
        double dollars = EARN_SHARE * byKind.get("earn").dollars() + USE_SHARE * byKind.get("use").dollars()
                + CANCEL_SHARE * (byKind.get("use").dollars() + byKind.get("cancel").dollars());
        out.printf("  per deal (%.0f%% earns, %.0f%% uses, %.0f%% uses later cancelled, all-in): %.2f write units (target <= %.0f: %s),"
                        + " $%.2f per million deals (target <= $%.0f: %s)%n", EARN_SHARE * 100, USE_SHARE * 100, CANCEL_SHARE * 100,
                writes, WRITE_UNIT_TARGET, writes <= WRITE_UNIT_TARGET ? "met" : "MISSED", dollars * 1e6, USD_TARGET,
                dollars * 1e6 <= USD_TARGET ? "met" : "MISSED");
        out.printf("  request logs   %s%n", logFile);
    }

    private static String deal(String member, String type, long amount, long points) {
        return "{\"memberId\":\"" + member + "\",\"merchantId\":\"" + MERCHANT + "\",\"type\":\"" + type + "\",\"amount\":"
                + amount + (type.equals("use") ? ",\"points\":" + points : "") + "}";
    }

    private static String expect(int status, KeepAliveClient.Answer answer) {
        if (answer.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }
}
