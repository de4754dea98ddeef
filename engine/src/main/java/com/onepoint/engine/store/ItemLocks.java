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
    }

    private final ConcurrentHashMap<LockKey, Entry> entries = new ConcurrentHashMap<>();

    /** Locks every key (already sorted, no duplicates), or none: false when one was not free within the patience. */
    public boolean lockAll(List<LockKey> sortedKeys, long patienceMillis) {
        for (int i = 0; i < sortedKeys.size(); i++) {
            if (!lock(sortedKeys.get(i), patienceMillis)) {
                for (int j = i - 1; j >= 0; j--) {
                    unlock(sortedKeys.get(j));
                }
                return false;
            }
        }
        return true;
    }

    public void unlockAll(List<LockKey> keys) {
        for (LockKey k : keys) {
            unlock(k);
        }
    }

    public boolean lock(LockKey key, long patienceMillis) {
        Entry e = entries.compute(key, (k, v) -> {
            Entry x = v == null ? new Entry() : v;
            x.users++;
            return x;
        });
        boolean locked;
        try {
            locked = e.lock.tryLock(patienceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            release(key);
        }
        return locked;
    }

    public void unlock(LockKey key) {
        entries.get(key).lock.unlock();
        release(key);
    }

    private void release(LockKey key) {
        entries.compute(key, (k, v) -> --v.users == 0 ? null : v);
    }

    /** Items locked or waited for right now (tests: no lock is left behind). */
    public int size() {
        return entries.size();
    }
}
