package com.onepoint.devkit.sqs;

import com.onepoint.devkit.SamTemplate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Not a test: SendMessage latency and throughput in memory, durable with force (the default) and durable without
 * force, then boot time on a data directory holding N messages. Run from the repository root after
 * {@code mvn -q -B -o test-compile -pl devkit}:
 * <pre>
 * mvn -q -B -o dependency:build-classpath -pl devkit -Dmdep.outputFile=/tmp/devkit.cp
 * java -XX:+UseSerialGC -cp devkit/target/test-classes:devkit/target/classes:$(cat /tmp/devkit.cp) \
 *      com.onepoint.devkit.sqs.LocalSqsBenchmark [sends 3000] [threads 8] [boot-messages 10000] [body-bytes 512]
 * </pre>
 * A cold boot, as {@code serve} does it in a fresh JVM: {@code LocalSqsBenchmark boot <dir> [messages 10000]} fills
 * {@code <dir>} with that many messages the first time, and from then on times one boot on it ({@code memory} as
 * {@code <dir>}: one in-memory boot, for comparison).
 */
public final class LocalSqsBenchmark {
    private LocalSqsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[0].equals("boot")) {
            coldBoot(args[1], args.length > 2 ? Integer.parseInt(args[2]) : 10_000);
            return;
        }
        int sends = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int bootMessages = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int bodyBytes = args.length > 3 ? Integer.parseInt(args[3]) : 512;
        String body = "x".repeat(bodyBytes);
        Path root = Files.createTempDirectory("sqs-bench");
        SamTemplate template = DurableQueues.template(root);
        System.out.printf("SendMessage, %d-byte body; %d sequential sends, then %d sends from %d threads%n",
                bodyBytes, sends, sends, threads);
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            String tag = round == 0 ? "warm-up " : "";
            measure(tag + "in memory       ", LocalSqs.boot(template, null, true), template, body, sends, threads);
            measure(tag + "durable, force  ", LocalSqs.boot(template, root.resolve("force-" + round), true), template,
                    body, sends, threads);
            measure(tag + "durable, no force", LocalSqs.boot(template, root.resolve("write-" + round), false), template,
                    body, sends, threads);
        }

        Path data = root.resolve("boot");
        fill(template, data, bootMessages, body);
        long logBytes = Files.size(data.resolve("sqs").resolve(SqsJournal.STORE_FILE));
        System.out.printf("%nboot on %d messages (%.1f MB store), 3 boots each:%n", bootMessages, logBytes / 1e6);
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            try (LocalSqs sqs = LocalSqs.boot(template, null)) {
                long t1 = System.nanoTime();
                sqs.createQueues(template, null);
                long t2 = System.nanoTime();
                System.out.printf("  in memory: boot %4d ms, createQueues %4d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
            }
            t0 = System.nanoTime();
            try (LocalSqs sqs = LocalSqs.boot(template, data)) {
                long t1 = System.nanoTime();
                sqs.createQueues(template, null);
                long t2 = System.nanoTime();
                System.out.printf("  durable:   boot %4d ms, createQueues + restore %4d ms (%d restored)%n",
                        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, sqs.restoredMessages());
                if (sqs.approximateCount("Work") != bootMessages) {
                    throw new AssertionError("restored " + sqs.approximateCount("Work"));
                }
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** {@code messages} messages of {@code body}, a third of them in flight (as a crashed consumer leaves them). */
    private static void fill(SamTemplate template, Path data, int messages, String body) {
        try (LocalSqs sqs = LocalSqs.start(template, data)) {
            SqsClient client = sqs.client();
            String url = sqs.urlOf("Work");
            for (int i = 0; i < messages; i += 10) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int k = 0; k < 10 && i + k < messages; k++) {
                    entries.add(SendMessageBatchRequestEntry.builder().id(String.valueOf(k)).messageBody(body).build());
                }
                client.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
            }
            for (int i = 0; i < messages / 3; i += 10) {
                client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(600));
            }
        }
    }

    private static void coldBoot(String where, int messages) throws Exception {
        boolean memory = where.equals("memory");
        Path dir = memory ? Files.createTempDirectory("sqs-cold") : Path.of(where);
        Files.createDirectories(dir);
        SamTemplate template = DurableQueues.template(dir);
        Path data = memory ? null : dir.resolve("data");
        if (data != null && !Files.exists(data.resolve(LocalSqs.DATA_SUBDIRECTORY).resolve(SqsJournal.STORE_FILE))) {
            fill(template, data, messages, "x".repeat(512));
            System.out.println("filled " + dir + " with " + messages + " messages; run again to time a boot");
            return;
        }
        long jvm = ManagementFactory.getRuntimeMXBean().getUptime();
        long t1 = System.nanoTime();
        try (LocalSqs sqs = LocalSqs.boot(template, data)) {
            long t2 = System.nanoTime();
            sqs.createQueues(template, null);
            long t3 = System.nanoTime();
            System.out.printf("cold %-9s: JVM up %4d ms, boot %4d ms, createQueues%s %4d ms; %s%n",
                    memory ? "in memory" : "durable", jvm, (t2 - t1) / 1_000_000, memory ? "          " : " + restore",
                    (t3 - t2) / 1_000_000, sqs.storage());
        }
    }

    private static void measure(String name, LocalSqs boot, SamTemplate template, String body, int sends, int threads)
            throws Exception {
        try (LocalSqs sqs = boot.createQueues(template, null)) {
            SqsClient client = sqs.client();
            String url = sqs.urlOf("Work");
            long[] latencies = new long[sends];
            long start = System.nanoTime();
            for (int i = 0; i < sends; i++) {
                long t = System.nanoTime();
                client.sendMessage(b -> b.queueUrl(url).messageBody(body));
                latencies[i] = System.nanoTime() - t;
            }
            double sequentialSeconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<SqsClient> clients = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                clients.add(LocalSqs.client(sqs.endpoint()));
            }
            long concurrentStart = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SqsClient c = clients.get(t);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < sends / threads; i++) {
                        c.sendMessage(b -> b.queueUrl(url).messageBody(body));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double concurrentSeconds = (System.nanoTime() - concurrentStart) / 1e9;
            pool.shutdown();
            clients.forEach(SqsClient::close);
            System.out.printf("%s  1 thread: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, %5.0f sends/s   %d threads: %5.0f sends/s%n",
                    name, latencies[sends / 2] / 1e6, latencies[sends * 9 / 10] / 1e6, latencies[sends * 99 / 100] / 1e6,
                    sends / sequentialSeconds, threads, (sends / threads * threads) / concurrentSeconds);
        }
    }
}
