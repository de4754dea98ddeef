package com.onepoint.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults a test injects per table and operation: throttling, transaction conflicts, added latency, and a crash after
 * the commit but before the response (the client sees a 500 for a write that happened, and its SDK retries).
 * Empty by default; every injected fault is counted, so a test can show the faults really happened.
 */
public final class Faults {
    public enum Kind {
        /** ThrottlingException (400), which the SDK retries. */
        THROTTLING,
        /** ProvisionedThroughputExceededException (400), which the SDK retries. */
        THROUGHPUT_EXCEEDED,
        /** TransactWriteItems cancelled with TransactionConflict; other writes get TransactionConflictException. */
        TRANSACTION_CONFLICT,
        /** Sleeps {@code latencyMillis} before the operation. */
        LATENCY,
        /** The write is committed, then the response is an InternalServerError (500). */
        CRASH_AFTER_COMMIT
    }

    /** A fault; {@code table} or {@code operation} null means any. */
    public record Rule(String table, String operation, Kind kind, double probability, long latencyMillis) {
        public static Rule of(String table, String operation, Kind kind, double probability) {
            return new Rule(table, operation, kind, probability, 0);
        }

        public static Rule latency(String table, String operation, long millis) {
            return new Rule(table, operation, Kind.LATENCY, 1.0, millis);
        }

        boolean matches(String t, String op) {
            return (table == null || table.equals(t)) && (operation == null || operation.equals(op));
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<Kind, AtomicLong> injected = new ConcurrentHashMap<>();

    public Faults add(Rule rule) {
        rules.add(rule);
        return this;
    }

    public void clear() {
        rules.clear();
    }

    public long injected(Kind kind) {
        AtomicLong n = injected.get(kind);
        return n == null ? 0 : n.get();
    }

    /** Before the operation runs: latency, throttling and conflicts. Returns the table whose rule fired a conflict. */
    String before(String operation, Iterable<String> tables) {
        if (rules.isEmpty()) {
            return null;
        }
        for (String table : tables) {
            for (Rule r : rules) {
                if (!r.matches(table, operation) || !fires(r)) {
                    continue;
                }
                switch (r.kind()) {
                    case LATENCY:
                        count(r.kind());
                        sleep(r.latencyMillis());
                        break;
                    case THROTTLING:
                        count(r.kind());
                        throw new DynamoException(DynamoException.THROTTLING, "Rate of requests exceeds the allowed throughput.");
                    case THROUGHPUT_EXCEEDED:
                        count(r.kind());
                        throw new DynamoException(DynamoException.THROUGHPUT_EXCEEDED,
                                "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.");
                    case TRANSACTION_CONFLICT:
                        count(r.kind());
                        return table;
                    default:
                        break;
                }
            }
        }
        return null;
    }

    boolean crashAfterCommit(String operation, Iterable<String> tables) {
        if (rules.isEmpty()) {
            return false;
        }
        for (String table : tables) {
            for (Rule r : rules) {
                if (r.kind() == Kind.CRASH_AFTER_COMMIT && r.matches(table, operation) && fires(r)) {
                    count(r.kind());
                    return true;
                }
            }
        }
        return false;
    }

    private void count(Kind kind) {
        injected.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    private static boolean fires(Rule r) {
        return r.probability() >= 1.0 || ThreadLocalRandom.current().nextDouble() < r.probability();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
