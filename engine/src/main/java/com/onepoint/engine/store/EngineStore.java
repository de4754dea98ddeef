package com.onepoint.engine.store;

import com.onepoint.engine.stream.StreamRecord;
import com.onepoint.engine.value.Value;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.StringDataType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The engine's maps on one H2 MVStore: a file (durable) or memory only. Durable writes are group-committed: a writer
 * applies its change under the shared side of {@link #gate}, takes a ticket, and waits until a committer pass has
 * written and fsynced a version that holds it. The committer takes the exclusive side only to cut the version, so a
 * multi-item transaction is never half in a stored version, and fsyncs outside it.
 */
public final class EngineStore implements AutoCloseable {
    private static final String FILE = "engine.mv.db";

    private final MVStore store;
    private final boolean durable;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final AtomicLong applied = new AtomicLong();
    private final Object durableMonitor = new Object();
    private volatile long durableTicket;
    private final List<Runnable> beforeCut = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Runnable> afterSync = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread committer;
    private volatile boolean running = true;
    private volatile IllegalStateException failure;
    private long lastHousekeeping = System.nanoTime();
    /** With autocommit off MVStore does no housekeeping of its own: the committer rewrites sparse chunks this often. */
    private static final long HOUSEKEEPING_NANOS = 1_000_000_000L;
    private static final int COMPACT_BYTES_PER_PASS = 256 * 1024;
    private static final int CLOSE_COMPACTION_MILLIS = 3000;

    private EngineStore(MVStore store, boolean durable) {
        this.store = store;
        this.durable = durable;
        if (durable) {
            committer = new Thread(this::commitLoop, "engine-group-commit");
            committer.setDaemon(true);
            committer.start();
        } else {
            committer = null;
        }
    }

    public static EngineStore inMemory() {
        return new EngineStore(new MVStore.Builder().autoCommitDisabled().open(), false);
    }

    public static EngineStore open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create data directory " + directory, e);
        }
        // small pages: a commit rewrites every page it touched, so its cost grows with the page size
        MVStore store = new MVStore.Builder().fileName(directory.resolve(FILE).toString())
                .autoCommitDisabled().cacheSize(64).pageSplitSize(4 * 1024).open();
        // nobody reads old versions; MVStore's retention time (45 s) stays: after a crash it finds the newest
        // version by following chunks from the last file header, and a chunk reused sooner could break that chain
        store.setVersionsToKeep(0);
        return new EngineStore(store, true);
    }

    public boolean durable() {
        return durable;
    }

    public MVMap<String, String> meta(String name) {
        return store.openMap("meta." + name, new MVMap.Builder<String, String>()
                .keyType(StringDataType.INSTANCE).valueType(StringDataType.INSTANCE));
    }

    public MVMap<Key, Map<String, Value>> items(String name) {
        return store.openMap(name, new MVMap.Builder<Key, Map<String, Value>>()
                .keyType(Codec.KeyType.INSTANCE).valueType(Codec.ItemType.INSTANCE));
    }

    public MVMap<Long, StreamRecord> records(String name) {
        return store.openMap(name, new MVMap.Builder<Long, StreamRecord>()
                .keyType(org.h2.mvstore.type.LongDataType.INSTANCE).valueType(Codec.RecordType.INSTANCE));
    }

    public void removeMap(String name) {
        if (store.hasMap(name)) {
            store.removeMap(name);
        }
    }

    /** Runs {@code change} so that no committer pass cuts a version in the middle of it; returns its ticket. */
    public long apply(Runnable change) {
        if (!durable) {
            change.run(); // nothing cuts versions in memory: no gate, no ticket, nothing shared between writers
            return 0;
        }
        if (failure != null) {
            throw failure;
        }
        gate.readLock().lock();
        try {
            change.run();
            return applied.incrementAndGet();
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Returns once the change with {@code ticket} is on disk (at once in memory). */
    public void awaitDurable(long ticket) {
        if (!durable || durableTicket >= ticket) {
            return;
        }
        java.util.concurrent.locks.LockSupport.unpark(committer); // the committer may be idle: there is work
        synchronized (durableMonitor) {
            while (durableTicket < ticket) {
                if (failure != null) {
                    throw failure;
                }
                if (!running) {
                    throw new IllegalStateException("the engine is closed");
                }
                try {
                    durableMonitor.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the commit", e);
                }
            }
        }
    }

    /** Hooks run under the exclusive gate before a version is cut, and after it is fsynced (stream visibility). */
    public void onCommit(Runnable beforeCutHook, Runnable afterSyncHook) {
        beforeCut.add(beforeCutHook);
        afterSync.add(afterSyncHook);
    }

    private void commitLoop() {
        while (running) {
            try {
                if (applied.get() == durableTicket) {
                    // idle: writers unpark this thread when they wait for a commit
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
                    continue;
                }
                long ticket;
                boolean housekeeping = System.nanoTime() - lastHousekeeping > HOUSEKEEPING_NANOS;
                gate.writeLock().lock();
                try {
                    ticket = applied.get();
                    beforeCut.forEach(Runnable::run);
                    if (housekeeping) {
                        // moves live pages out of sparse chunks, into this version; a little at a time, since
                        // writers wait while it runs
                        store.compact(70, COMPACT_BYTES_PER_PASS);
                    }
                    store.commit();
                } finally {
                    gate.writeLock().unlock();
                }
                if (housekeeping) {
                    lastHousekeeping = System.nanoTime();
                }
                store.sync();
                afterSync.forEach(Runnable::run);
                synchronized (durableMonitor) {
                    durableTicket = ticket;
                    durableMonitor.notifyAll();
                }
            } catch (Throwable e) {
                // nothing more can be made durable: every waiting and later writer fails with this
                failure = new IllegalStateException("the engine's store failed to commit: " + e, e);
                e.printStackTrace();
                synchronized (durableMonitor) {
                    durableMonitor.notifyAll();
                }
                return;
            }
        }
    }

    /** Runs {@code action} with every writer excluded (table creation and deletion, housekeeping). */
    public void exclusively(Runnable action) {
        gate.writeLock().lock();
        try {
            action.run();
        } finally {
            gate.writeLock().unlock();
        }
    }

    public List<String> mapNames() {
        return new ArrayList<>(store.getMapNames());
    }

    @Override
    public void close() {
        running = false;
        if (committer != null) {
            java.util.concurrent.locks.LockSupport.unpark(committer);
            synchronized (durableMonitor) {
                durableMonitor.notifyAll();
            }
            try {
                committer.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!store.isClosed()) {
            if (durable) {
                store.commit();
                store.sync();
                // a clean stop is the time to move live pages out of sparse chunks and shrink the file; the
                // running committer compacts only a little at a time, because writers wait while it does
                store.close(CLOSE_COMPACTION_MILLIS);
            } else {
                store.close();
            }
        }
    }
}
