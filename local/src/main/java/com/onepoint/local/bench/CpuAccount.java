package com.onepoint.local.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this JVM between two points, split by who spent it: the runtime's HTTP workers (event translation,
 * function code and DynamoDB Local's request path all run there), the HTTP server's dispatcher, DynamoDB Local's
 * SQLite thread, the benchmark's clients, and the rest (JIT compiler, GC), which the JVM does not attribute to Java
 * threads. Also the JIT's compilation time and the GC pauses in the same interval, to tell those two apart.
 */
final class CpuAccount {
    static final String WORKERS = "HTTP workers";
    static final String DISPATCHER = "HTTP dispatcher";
    static final String SQLITE = "SQLite thread";
    static final String CLIENT = "benchmark clients";
    static final String OTHER = "JIT+GC+other";

    /** CPU nanoseconds per group (they sum to the process's CPU time), and JIT and GC time in nanoseconds. */
    record Spent(Map<String, Long> byGroup, long jitNanos, long gcPauseNanos) {
        long total() {
            return byGroup.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Map<Long, Long> startByThread = new HashMap<>();
    private final long processStart;
    private final long jitStartMillis = jitMillis();
    private final long gcStartMillis = gcMillis();

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
        for (String group : new String[] {WORKERS, DISPATCHER, SQLITE, CLIENT}) {
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
        byGroup.put(OTHER, Math.max(0, os.getProcessCpuTime() - processStart - attributed));
        return new Spent(byGroup, (jitMillis() - jitStartMillis) * 1_000_000, (gcMillis() - gcStartMillis) * 1_000_000);
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
        if (threadName.startsWith("SQLiteQueue")) {
            return SQLITE;
        }
        if (threadName.startsWith("bench-client-")) {
            return CLIENT;
        }
        return null;
    }
}
