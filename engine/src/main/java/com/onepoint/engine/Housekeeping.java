package com.onepoint.engine;

import com.onepoint.engine.store.ItemLocks;
import com.onepoint.engine.store.Key;
import com.onepoint.engine.value.Value;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Background work DynamoDB does on its own: deleting items whose TTL attribute has passed (a REMOVE stream record
 * by the service identity) and trimming stream records older than 24 hours.
 */
final class Housekeeping implements AutoCloseable {
    private final DynamoEngine engine;
    private final ScheduledExecutorService timer;

    Housekeeping(DynamoEngine engine) {
        this.engine = engine;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "engine-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, engine.options.ttlSweepInterval().toMillis());
        timer.scheduleWithFixedDelay(this::run, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stream records removed per log record when trimming. */
    private static final int TRIM_PER_WRITE = 10_000;

    private void run() {
        try {
            sweepTtl();
            long now = engine.now();
            for (Table t : engine.tables.values()) {
                if (t.stream != null) {
                    while (true) {
                        com.onepoint.engine.store.Changes trim = new com.onepoint.engine.store.Changes();
                        int trimmed = t.stream.trim(trim, now, TRIM_PER_WRITE);
                        engine.store.write(trim);
                        if (trimmed < TRIM_PER_WRITE) {
                            break;
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            // a table deleted under the sweep, or the store closing; the next round starts afresh
        }
    }

    int sweepTtl() {
        int deleted = 0;
        BigDecimal nowSeconds = BigDecimal.valueOf(engine.now() / 1000);
        for (Table t : engine.tables.values()) {
            String attribute = t.schema().ttlAttribute();
            if (attribute == null) {
                continue;
            }
            List<Key> expired = new ArrayList<>();
            for (Map.Entry<Key, Map<String, Value>> e : t.items.entrySet()) {
                if (expired(e.getValue(), attribute, nowSeconds)) {
                    expired.add(e.getKey());
                }
            }
            for (Key key : expired) {
                ItemLocks.LockKey lock = new ItemLocks.LockKey(t.name(), key);
                if (!engine.locks.lock(lock, 1000)) {
                    continue;
                }
                try {
                    Map<String, Value> item = t.items.get(key);
                    if (item != null && expired(item, attribute, nowSeconds)) {
                        com.onepoint.engine.store.Changes delete = new com.onepoint.engine.store.Changes();
                        t.write(delete, key, item, null, engine.now(), true);
                        engine.store.write(delete);
                        deleted++;
                    }
                } finally {
                    engine.locks.unlock(lock);
                }
            }
        }
        return deleted;
    }

    /** DynamoDB expires an item whose TTL attribute is a number of epoch seconds in the past; other types never. */
    private static boolean expired(Map<String, Value> item, String attribute, BigDecimal nowSeconds) {
        return item.get(attribute) instanceof Value.N n && n.decimal().compareTo(nowSeconds) < 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
