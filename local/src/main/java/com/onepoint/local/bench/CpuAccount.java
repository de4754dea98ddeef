package com.onepoint.local.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this JVM between two points, split by who spent it: the runtime's HTTP workers (event translation,
 * function code, and the engine's request path, which runs on the caller's thread), the HTTP server's dispatcher,
 * the engine's own threads (group commit: cutting and fsyncing versions; housekeeping: TTL and stream trimming; its
 * DynamoDB port), the stream pollers (the stream consumers' code and their GetRecords run there), the queues and the
 * bus (SQS pollers, ElasticMQ, its journal, event targets), the benchmark's clients, and the rest (JIT compiler, GC),
 * which the JVM does not attribute to Java threads. Also the JIT's compilation time and the GC pauses in the same
 * interval, to tell those two apart.
 */
final class CpuAccount {
    static final String WORKERS = "HTTP workers";
    static final String DISPATCHER = "HTTP dispatcher";
    static final String ENGINE_COMMIT = "engine log+checkpoint";
    static final String ENGINE_HOUSEKEEPING = "engine-housekeeping";
    static final String ENGINE_HTTP = "engine-http";
    static final String STREAM_POLLERS = "stream pollers";
    static final String QUEUES = "queues+bus";
    static final String CLIENT = "benchmark clients";
    static final String OTHER = "JIT+GC+other";

    /**
     * CPU nanoseconds per group (they sum to the process's CPU time), JIT and GC time in nanoseconds, the wall time,
     * and the CPU the other processes of the machine used meanwhile (-1 where /proc/stat is not there): a benchmark
     * that shares its cores with someone else's build measures that build too.
     */
    record Spent(Map<String, Long> byGroup, long jitNanos, long gcPauseNanos, long wallNanos, long otherProcessesNanos) {
        long total() {
            return byGroup.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The other processes' CPU as a share of all the cores over the interval, or NaN when unknown. */
        double otherProcessesShare() {
            return otherProcessesNanos < 0 ? Double.NaN
                    : otherProcessesNanos / (double) wallNanos / Runtime.getRuntime().availableProcessors();
        }
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Map<Long, Long> startByThread = new HashMap<>();
    private final long processStart;
    private final long jitStartMillis = jitMillis();
    private final long gcStartMillis = gcMillis();
    private final long wallStart = System.nanoTime();
    private final long machineStart = machineBusyNanos();

    private CpuAccount() {
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu >= 0) {
                startByThread.put(id, cpu);
            }
        }
        processStart = os.getProcessCpuTime();
    }

    static CpuAccount start() {
        return new CpuAccount();
    }

    Spent spent() {
        Map<String, Long> byGroup = new LinkedHashMap<>();
        for (String group : new String[] {WORKERS, DISPATCHER, ENGINE_COMMIT, ENGINE_HOUSEKEEPING, ENGINE_HTTP,
                STREAM_POLLERS, QUEUES, CLIENT}) {
            byGroup.put(group, 0L);
        }
        long attributed = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu < 0) {
                continue;
            }
            long delta = cpu - startByThread.getOrDefault(info.getThreadId(), 0L);
            String group = group(info.getThreadName());
            if (group != null) {
                byGroup.merge(group, delta, Long::sum);
                attributed += delta;
            }
        }
        long process = os.getProcessCpuTime() - processStart;
        byGroup.put(OTHER, Math.max(0, process - attributed));
        long machine = machineBusyNanos();
        long others = machine < 0 || machineStart < 0 ? -1 : Math.max(0, machine - machineStart - process);
        return new Spent(byGroup, (jitMillis() - jitStartMillis) * 1_000_000, (gcMillis() - gcStartMillis) * 1_000_000,
                System.nanoTime() - wallStart, others);
    }

    /** Busy CPU time of the whole machine (every core, every process) from /proc/stat, or -1 elsewhere. */
    static long machineBusyNanos() {
        try {
            String cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle and iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    }

    private static String group(String threadName) {
        if (threadName.startsWith("api-")) {
            return WORKERS;
        }
        if (threadName.startsWith("HTTP-Dispatcher") || threadName.startsWith("server-timer")) {
            return DISPATCHER;
        }
        if (threadName.startsWith("engine-wal") || threadName.startsWith("engine-checkpoint")) {
            return ENGINE_COMMIT;
        }
        if (threadName.startsWith(ENGINE_HOUSEKEEPING)) {
            return ENGINE_HOUSEKEEPING;
        }
        if (threadName.startsWith(ENGINE_HTTP)) {
            return ENGINE_HTTP;
        }
        if (threadName.startsWith("stream-poller-")) {
            return STREAM_POLLERS;
        }
        if (threadName.startsWith("sqs-") || threadName.startsWith("elasticmq") || threadName.startsWith("event-targets")
                || threadName.startsWith("schedules")) {
            return QUEUES;
        }
        if (threadName.startsWith("bench-client-")) {
            return CLIENT;
        }
        return null;
    }
}
