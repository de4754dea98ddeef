package com.onepoint.local.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.local.LocalRuntime;
import com.onepoint.local.RuntimeOverrides;
import com.sun.management.HotSpotDiagnosticMXBean;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Measures the local runtime against its targets: startup (start() until the HTTP port answers) at most 4 s; POST
 * /deals over HTTP at concurrency 8 at least 300 deals/s with a p99 at most 4x the p50 of one DynamoDB Local
 * TransactWriteItems of a deal's shape (Put + Update + ConditionCheck), measured in the same run.
 * <p>
 * To say where the time goes it also runs the same deals straight into the function (no HTTP), and splits the
 * JVM's CPU time by thread group. Not a unit test:
 * {@code java @local/jvm.options -cp local/target/onepoint-local.jar com.onepoint.local.bench.LocalBenchmark [--seconds 20] [--concurrency 8]}.
 * The request logs go to a file, so the console holds only the figures.
 */
public final class LocalBenchmark {
    static final long STARTUP_TARGET_MS = 4000;
    static final double THROUGHPUT_TARGET = 300;
    static final double P99_TO_TRANSACTION_P50 = 4;
    private static final String MERCHANT = "bench";
    private static final List<String> OPTIONS =
            List.of("--seconds", "--concurrency", "--members", "--warmup", "--http-threads", "--template");

    private final Map<String, String> options;
    private final int seconds;
    private final int concurrency;
    private final int members;
    private final PrintStream report;
    private int port;

    private LocalBenchmark(Map<String, String> options, PrintStream report) {
        this.options = options;
        this.seconds = integer("--seconds", 20);
        this.concurrency = integer("--concurrency", 8);
        this.members = integer("--members", 1000);
        this.report = report;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i]) || i + 1 >= args.length) {
                System.err.println("usage: LocalBenchmark [--seconds 20] [--concurrency 8] [--members 1000] [--warmup 20]"
                        + " [--http-threads " + RuntimeOverrides.DEFAULT_HTTP_THREADS + "] [--template template.yaml]");
                System.exit(2);
            }
            options.put(args[i], args[i + 1]);
        }
        PrintStream console = System.out;
        Path logFile = Files.createTempFile("onepoint-bench-", ".log");
        // before any logger class is loaded: JsonLog keeps the System.out it finds
        System.setOut(new PrintStream(new BufferedOutputStream(new FileOutputStream(logFile.toFile()), 1 << 16), false,
                StandardCharsets.UTF_8));
        int code = new LocalBenchmark(options, console).run(logFile);
        System.out.flush();
        System.exit(code);
    }

    private int integer(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
    }

    private int run(Path logFile) throws Exception {
        Path template = Path.of(options.getOrDefault("--template", "template.yaml"));
        int httpThreads = integer("--http-threads", RuntimeOverrides.DEFAULT_HTTP_THREADS);
        // on 2 cores C2 is still compiling DynamoDB Local, the SDK and Jackson 20 s in: shorter warm-ups measure the JIT
        int warmup = integer("--warmup", 20);

        long t0 = System.nanoTime();
        SamTemplate sam = SamTemplate.load(template);
        Startup startup;
        Load http;
        Load function;
        CpuAccount.Spent httpCpu;
        CpuAccount.Spent functionCpu;
        try (LocalRuntime runtime = LocalRuntime.start(sam, 0, RuntimeOverrides.standard().withHttpThreads(httpThreads))) {
            port = runtime.port();
            awaitHttp();
            long startupMs = (System.nanoTime() - t0) / 1_000_000;
            // what a user waits for: from the `java` launch, JVM boot and class loading included
            long sinceLaunchMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            startup = new Startup(startupMs, sinceLaunchMs, runtime.startupTimes().toString(), sharedArchive());

            AtomicInteger n = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> new Thread(r, "bench-client-" + n.incrementAndGet()));
            ThreadLocal<KeepAliveClient> connections = ThreadLocal.withInitial(() -> new KeepAliveClient(port));
            try {
                seed(pool, connections);
                Deals overHttp = (member, body) -> connections.get().send("POST", "/deals", body).status();
                String dealFunction = functionOf(runtime, "POST /deals");
                Deals direct = (member, body) -> ((APIGatewayProxyResponseEvent) runtime.invoker()
                        .invoke(dealFunction, proxyEvent(body))).getStatusCode();
                if (warmup > 0) { // the JIT compiles both paths before either is measured, so neither pays for it
                    load(pool, overHttp, warmup);
                    load(pool, direct, warmup);
                }
                CpuAccount cpu = CpuAccount.start();
                http = load(pool, overHttp, seconds);
                httpCpu = cpu.spent();
                cpu = CpuAccount.start();
                function = load(pool, direct, Math.max(1, seconds / 2));
                functionCpu = cpu.spent();
            } finally {
                pool.shutdownNow();
            }
        }
        Transaction transaction = bareTransaction(sam);
        print(template, httpThreads, warmup, startup, http, httpCpu, function, functionCpu, transaction, logFile);
        return startup.sinceLaunchMs() <= STARTUP_TARGET_MS && http.perSecond() >= THROUGHPUT_TARGET
                && http.percentileMillis(0.99) <= P99_TO_TRANSACTION_P50 * transaction.p50Millis() ? 0 : 1;
    }

    /** A bare deal-shaped transaction: its latency, and its CPU in all and on DynamoDB Local's SQLite thread. */
    record Transaction(double p50Millis, double cpuMillis, double sqliteMillis) {
    }

    record Startup(long startMs, long sinceLaunchMs, String steps, String sharedArchive) {
    }

    /** The class-data-sharing archive this JVM was started with, or "none". */
    private static String sharedArchive() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String file = hotspot.getVMOption("SharedArchiveFile").getValue();
        return file == null || file.isEmpty() ? "none" : file;
    }

    /** Polls until the HTTP port answers a request: startup ends when a client can be served. */
    private void awaitHttp() throws InterruptedException {
        try (KeepAliveClient probe = new KeepAliveClient(port)) {
            while (true) {
                try {
                    probe.send("GET", "/points/startup-probe", null);
                    return;
                } catch (IOException e) {
                    Thread.sleep(5);
                }
            }
        }
    }

    /** A merchant and {@code members} members, each with a balance no use in the run can exhaust. */
    private void seed(ExecutorService pool, ThreadLocal<KeepAliveClient> connections) throws Exception {
        try (KeepAliveClient client = new KeepAliveClient(port)) {
            expect(201, client.send("POST", "/merchants", "{\"merchantId\":\"" + MERCHANT + "\",\"name\":\"Benchmark\"}"));
        }
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            String id = memberId(i);
            done.add(pool.submit(() -> {
                expect(201, connections.get().send("POST", "/members", "{\"memberId\":\"" + id + "\",\"name\":\"Bench\"}"));
                expect(201, connections.get().send("POST", "/deals", deal(id, "earn", 1_000_000_000_000L, 0)));
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    /** One way of recording a deal: returns the status. */
    interface Deals {
        int record(String member, String body) throws Exception;
    }

    record Load(long[] latenciesNanos, long refused, double elapsedSeconds) {
        double perSecond() {
            return latenciesNanos.length / elapsedSeconds;
        }

        double percentileMillis(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return sorted.length == 0 ? Double.NaN
                    : sorted[(int) Math.max(0, Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1))] / 1e6;
        }
    }

    /** Deals from {@code concurrency} clients for {@code durationSeconds}: half earns, half uses, random members. */
    private Load load(ExecutorService pool, Deals deals, int durationSeconds) throws Exception {
        long deadline = System.nanoTime() + durationSeconds * 1_000_000_000L;
        AtomicLong refused = new AtomicLong();
        List<Future<long[]>> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                long[] latencies = new long[1024];
                int n = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                    String member = memberId(random.nextInt(members));
                    String body = random.nextBoolean() ? deal(member, "earn", 1 + random.nextInt(100_000), 0)
                            : deal(member, "use", 1000, 1 + random.nextInt(100));
                    long t = System.nanoTime();
                    int status = deals.record(member, body);
                    long latency = System.nanoTime() - t;
                    if (status != 201) {
                        refused.incrementAndGet();
                        continue;
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = latency;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : workers) {
            all.add(f.get());
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        return new Load(all.stream().flatMapToLong(Arrays::stream).toArray(), refused.get(), elapsed);
    }

    /**
     * One TransactWriteItems shaped like a deal, one at a time, on a fresh DynamoDB Local with the template's tables
     * and nothing else (the runtime, its pollers and its SQLite thread are gone): what a deal's own write costs with
     * no HTTP, JSON, function code or stream consumer around it. Same JVM, so the JIT has warmed DynamoDB Local up.
     */
    private Transaction bareTransaction(SamTemplate sam) {
        try (LocalDynamo dynamo = LocalDynamo.start(sam)) {
            DynamoDbClient db = dynamo.client();
            String deals = table(dynamo, "DealsTable");
            String points = table(dynamo, "PointsTable");
            String membersTable = table(dynamo, "MembersTable");
            for (int i = 0; i < members; i++) {
                String member = memberId(i);
                db.putItem(b -> b.tableName(membersTable).item(Map.of("memberId", s(member), "status", s("ACTIVE"))));
                db.putItem(b -> b.tableName(points).item(Map.of("memberId", s(member), "status", s("OPEN"),
                        "balance", n(0))));
            }
            return measureTransactions(db, deals, points, membersTable);
        }
    }

    private Transaction measureTransactions(DynamoDbClient db, String deals, String points, String membersTable) {
        int warmup = 2000; // a new instance: its first thousand transactions still run slower
        int measured = 3000;
        long[] latencies = new long[measured];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        CpuAccount cpu = null;
        for (int i = 0; i < warmup + measured; i++) {
            String member = memberId(random.nextInt(members));
            String now = Instant.now().toString();
            List<TransactWriteItem> items = List.of(
                    TransactWriteItem.builder().put(Put.builder().tableName(deals)
                            .item(Map.of("dealId", s(UUID.randomUUID().toString()), "memberId", s(member),
                                    "merchantId", s(MERCHANT), "type", s("EARN"), "amount", n(1000), "points", n(10),
                                    "status", s("SUCCESS"), "createdAt", s(now)))
                            .conditionExpression("attribute_not_exists(dealId)").build()).build(),
                    TransactWriteItem.builder().update(Update.builder().tableName(points)
                            .key(Map.of("memberId", s(member)))
                            .updateExpression("SET balance = balance + :p, updatedAt = :now")
                            .conditionExpression("#status = :open")
                            .expressionAttributeNames(Map.of("#status", "status"))
                            .expressionAttributeValues(Map.of(":p", n(10), ":open", s("OPEN"), ":now", s(now)))
                            .build()).build(),
                    TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(membersTable)
                            .key(Map.of("memberId", s(member)))
                            .conditionExpression("#status = :active")
                            .expressionAttributeNames(Map.of("#status", "status"))
                            .expressionAttributeValues(Map.of(":active", s("ACTIVE")))
                            .build()).build());
            if (i == warmup) {
                cpu = CpuAccount.start();
            }
            long t = System.nanoTime();
            db.transactWriteItems(b -> b.transactItems(items).clientRequestToken(UUID.randomUUID().toString()));
            if (i >= warmup) {
                latencies[i - warmup] = System.nanoTime() - t;
            }
        }
        CpuAccount.Spent spent = cpu.spent();
        return new Transaction(new Load(latencies, 0, 1).percentileMillis(0.50), spent.total() / 1e6 / measured,
                spent.byGroup().get(CpuAccount.SQLITE) / 1e6 / measured);
    }

    private void print(Path template, int httpThreads, int warmup, Startup startup, Load http, CpuAccount.Spent httpCpu,
                       Load function, CpuAccount.Spent functionCpu, Transaction transaction, Path logFile) {
        double transactionP50 = transaction.p50Millis();
        double p99 = http.percentileMillis(0.99);
        int cores = Runtime.getRuntime().availableProcessors();
        report.println("OnePoint local runtime benchmark");
        report.printf("  setup          %s, %d members, concurrency %d, %d HTTP threads, %d s after %d s warm-up, %d cores,"
                        + " class-data-sharing archive %s, GC %s%n", template, members, concurrency, httpThreads, seconds,
                warmup, cores, startup.sharedArchive(), ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName).collect(Collectors.joining("+")));
        report.printf("  startup        %7d ms      java launch until HTTP answers       target <= %d ms       %s%n",
                startup.sinceLaunchMs(), STARTUP_TARGET_MS, verdict(startup.sinceLaunchMs() <= STARTUP_TARGET_MS));
        report.printf("                 %7d ms      of which template load and start() until HTTP answers; inside start(): %s%n",
                startup.startMs(), startup.steps());
        report.printf("  throughput     %7.1f /s      POST /deals over HTTP (%d, %d refused)   target >= %.0f /s        %s%n",
                http.perSecond(), http.latenciesNanos().length, http.refused(), THROUGHPUT_TARGET,
                verdict(http.perSecond() >= THROUGHPUT_TARGET));
        report.printf("  latency        p50 %.2f ms, p99 %.2f ms%n", http.percentileMillis(0.50), p99);
        report.printf("  transaction    p50 %.2f ms   one TransactWriteItems Put+Update+ConditionCheck, sequential, on a fresh"
                + " DynamoDB Local%n", transactionP50);
        report.printf("                 CPU %.2f ms per transaction, %.2f ms of it on the SQLite thread: DynamoDB Local runs"
                        + " at most %.0f of them a second%n", transaction.cpuMillis(), transaction.sqliteMillis(),
                1000 / transaction.sqliteMillis());
        report.printf("  p99 / tx p50   %7.1fx       %.2f ms vs 4 x %.2f ms                  target <= 4x            %s%n",
                p99 / transactionP50, p99, transactionP50, verdict(p99 <= P99_TO_TRANSACTION_P50 * transactionP50));
        // Little's law for a closed loop: mean latency = clients / throughput, and p99 >= mean
        double limit = P99_TO_TRANSACTION_P50 * transactionP50;
        report.printf("  closed loop    %d clients at %.1f /s wait %.1f ms on average (clients / throughput); a p99 <= %.2f ms"
                        + " needs >= %.0f deals/s%n", concurrency, http.perSecond(), concurrency * 1000 / http.perSecond(),
                limit, concurrency * 1000 / limit);
        report.println("  where the time goes");
        report.printf("    same deals straight into the function, no HTTP: %.1f /s, p50 %.2f ms, p99 %.2f ms%n",
                function.perSecond(), function.percentileMillis(0.50), function.percentileMillis(0.99));
        cpu("over HTTP", http, httpCpu, cores);
        cpu("no HTTP", function, functionCpu, cores);
        report.println("  request logs   " + logFile);
    }

    private void cpu(String label, Load load, CpuAccount.Spent spent, int cores) {
        long deals = Math.max(1, load.latenciesNanos().length + load.refused());
        double perDeal = spent.total() / 1e6 / deals;
        report.printf("    CPU per deal %-9s %.2f ms (all threads of this JVM): %d cores serve at most %.0f /s; %d clients"
                        + " then wait >= %.1f ms%n", label, perDeal, cores, cores / perDeal * 1000, concurrency,
                concurrency * perDeal / cores);
        StringBuilder split = new StringBuilder("      ");
        spent.byGroup().forEach((group, nanos) -> split.append(String.format("%.2f %s; ", nanos / 1e6 / deals, group)));
        split.append(String.format("(JIT compiling %.2f, GC pauses %.2f)", spent.jitNanos() / 1e6 / deals,
                spent.gcPauseNanos() / 1e6 / deals));
        report.println(split);
        double sqlite = spent.byGroup().getOrDefault(CpuAccount.SQLITE, 0L) / 1e6 / deals;
        if (sqlite > 0) { // DynamoDB Local runs the SQL of every table, stream reads included, on this one thread
            report.printf("      DynamoDB Local's one SQLite thread: %.2f ms per deal, so at most %.0f deals/s on any number"
                    + " of cores%n", sqlite, 1000 / sqlite);
        }
    }

    private static String verdict(boolean pass) {
        return pass ? "PASS" : "MISS";
    }

    private static String functionOf(LocalRuntime runtime, String route) {
        return runtime.wiring().events().entrySet().stream().filter(e -> e.getValue().equals(route))
                .map(e -> e.getKey().substring(0, e.getKey().indexOf('.'))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no function serves " + route));
    }

    private static String table(LocalDynamo dynamo, String logicalId) {
        String name = dynamo.ref(logicalId);
        if (name == null) {
            throw new IllegalStateException("the template has no " + logicalId);
        }
        return name;
    }

    /** The event API Gateway would send for POST /deals with this body. */
    private static APIGatewayProxyRequestEvent proxyEvent(String body) {
        String requestId = UUID.randomUUID().toString();
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(requestId).withResourcePath("/deals").withHttpMethod("POST");
        context.setAuthorizer(Map.of("role", "admin", "principalId", "admin")); // as API Gateway passes it on
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/deals").withResource("/deals")
                .withHeaders(Map.of("Content-Type", "application/json")).withBody(body).withIsBase64Encoded(false)
                .withRequestContext(context);
    }

    private static void expect(int status, KeepAliveClient.Answer answer) {
        if (answer.status() != status) {
            throw new IllegalStateException("seeding: expected " + status + ", got " + answer.status() + " " + answer.body());
        }
    }

    private static String deal(String member, String type, long amount, long points) {
        return "{\"memberId\":\"" + member + "\",\"merchantId\":\"" + MERCHANT + "\",\"type\":\"" + type + "\",\"amount\":"
                + amount + (type.equals("use") ? ",\"points\":" + points : "") + "}";
    }

    private static String memberId(int i) {
        return String.format("bench-%04d", i);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }
}
