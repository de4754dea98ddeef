package com.onepoint.engine.store;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per item (table name + key), made on first use and dropped when nobody holds or waits for it. Writers of
 * several items take them in {@link LockKey} order, so two writers never deadlock; a writer that cannot get a lock
 * within its patience gives up, which DynamoDB answers with a TransactionConflict.
 */
public final class ItemLocks {
    public record LockKey(String table, Key key) implements Comparable<LockKey> {
        @Override
        public int compareTo(LockKey o) {
            int c = table.compareTo(o.table);
            return c != 0 ? c : key.compareTo(o.key);
        }
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
        /** Whether the holder is a transaction ({@link #lockAll}); written only by the holder. */
        volatile boolean transaction;
    }

    private final ConcurrentHashMap<LockKey, Entry> entries = new ConcurrentHashMap<>();

    /** Locks every key (already sorted, no duplicates), or none: false when one was not free within the patience. */
    public boolean lockAll(List<LockKey> sortedKeys, long patienceMillis) {
        for (int i = 0; i < sortedKeys.size(); i++) {
            Entry e = acquire(sortedKeys.get(i), patienceMillis, false);
            if (e == null) {
                for (int j = i - 1; j >= 0; j--) {
                    unlock(sortedKeys.get(j));
                }
                return false;
            }
            e.transaction = true;
        }
        return true;
    }

    public void unlockAll(List<LockKey> keys) {
        for (LockKey k : keys) {
            unlock(k);
        }
    }

    /**
     * Locks one item for a single-item write: false only when a transaction held it for the whole of a patience
     * period; behind single-item writers it waits as long as they take.
     */
    public boolean lock(LockKey key, long patienceMillis) {
        return acquire(key, patienceMillis, true) != null;
    }

    public void unlock(LockKey key) {
        Entry e = entries.get(key);
        e.transaction = false;
        e.lock.unlock();
        release(key);
    }

    /** The locked entry, or null (and not counted as a user) when not locked within the patience. */
    private Entry acquire(LockKey key, long patienceMillis, boolean waitBehindSingleWrites) {
        Entry e = entries.compute(key, (k, v) -> {
            Entry x = v == null ? new Entry() : v;
            x.users++;
            return x;
        });
        try {
            while (true) {
                if (e.lock.tryLock(patienceMillis, TimeUnit.MILLISECONDS)) {
                    return e;
                }
                if (!waitBehindSingleWrites || e.transaction) {
                    break;
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        release(key);
        return null;
    }

    private void release(LockKey key) {
        entries.compute(key, (k, v) -> --v.users == 0 ? null : v);
    }

    /** Items locked or waited for right now (tests: no lock is left behind). */
    public int size() {
        return entries.size();
    }
}
