package com.onepoint.engine.store;

import com.onepoint.engine.stream.StreamRecord;
import com.onepoint.engine.value.Value;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.StringDataType;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.DataType;
import org.h2.mvstore.type.LongDataType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's maps on one H2 MVStore: a file (durable) or memory only. A durable write is first made durable in the
 * {@link WriteAheadLog} (group-committed: writers arriving together share one fsync) and only then applied to the
 * maps, in log order, so readers see only durable values. A checkpointer cuts an MVStore version once a second,
 * concurrently with writers, and deletes the log segments that version holds; after a crash the store opens at its
 * last version and the log replays the rest.
 */
public final class EngineStore implements AutoCloseable {
    private static final String FILE = "engine.mv.db";
    private static final String CHECKPOINT_KEY = "checkpoint";
    private static final long CHECKPOINT_NANOS = 1_000_000_000L;
    private static final int COMPACT_BYTES_PER_PASS = 256 * 1024;
    private static final int CLOSE_COMPACTION_MILLIS = 3000;
    private static final byte MAP_STRINGS = 0;
    private static final byte MAP_ITEMS = 1;
    private static final byte MAP_RECORDS = 2;

    private final MVStore store;
    private final MVMap<String, String> checkpoints;
    private final WriteAheadLog log;
    private final Thread checkpointer;
    private final ReentrantLock ddl = new ReentrantLock();
    private volatile boolean running = true;
    /** Maps a replayed record removed (a deleted table's): later records' writes into them are moot. */
    private final java.util.Set<String> droppedInReplay = new java.util.HashSet<>();
    /** The last log record the stored MVStore version holds. */
    private long checkpointed;

    private EngineStore(MVStore store, Path directory) {
        this.store = store;
        if (directory == null) {
            checkpoints = null;
            log = null;
            checkpointer = null;
            return;
        }
        checkpoints = meta("log");
        long stored = Long.parseLong(checkpoints.getOrDefault(CHECKPOINT_KEY, "0"));
        long last = WriteAheadLog.replay(directory, stored, this::applyRecord);
        if (last > stored) {
            checkpoints.put(CHECKPOINT_KEY, Long.toString(last));
            store.commit();
            store.sync();
        }
        checkpointed = last;
        for (WriteAheadLog.Segment s : WriteAheadLog.segments(directory)) {
            try {
                Files.delete(s.path());
            } catch (IOException e) {
                throw new IllegalStateException("cannot delete the replayed log " + s.path(), e);
            }
        }
        log = new WriteAheadLog(directory, last + 1, this::applyLogged);
        checkpointer = new Thread(this::checkpointLoop, "engine-checkpoint");
        checkpointer.setDaemon(true);
        // a version's page writes take tens of milliseconds of CPU; requests get the cores first
        checkpointer.setPriority(Thread.MIN_PRIORITY);
        checkpointer.start();
    }

    public static EngineStore inMemory() {
        return new EngineStore(new MVStore.Builder().autoCommitDisabled().open(), null);
    }

    public static EngineStore open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create data directory " + directory, e);
        }
        // small pages: a version rewrites every page changed since the last, so its cost grows with the page size.
        // No auto-commit buffer: past it MVStore makes the writing thread (here the log's leader) cut a version
        // itself; only the checkpointer cuts versions.
        MVStore store = new MVStore.Builder().fileName(directory.resolve(FILE).toString())
                .autoCommitDisabled().autoCommitBufferSize(0).cacheSize(64).pageSplitSize(4 * 1024).open();
        // nobody reads old versions; MVStore's retention time (45 s) stays: after a crash it finds the newest
        // version by following chunks from the last file header, and a chunk reused sooner could break that chain
        store.setVersionsToKeep(0);
        return new EngineStore(store, directory);
    }

    public boolean durable() {
        return log != null;
    }

    public MVMap<String, String> meta(String name) {
        return strings("meta." + name);
    }

    private MVMap<String, String> strings(String mapName) {
        return store.openMap(mapName, new MVMap.Builder<String, String>()
                .keyType(StringDataType.INSTANCE).valueType(StringDataType.INSTANCE));
    }

    public MVMap<Key, Map<String, Value>> items(String name) {
        return store.openMap(name, new MVMap.Builder<Key, Map<String, Value>>()
                .keyType(Codec.KeyType.INSTANCE).valueType(Codec.ItemType.INSTANCE));
    }

    public MVMap<Long, StreamRecord> records(String name) {
        return store.openMap(name, new MVMap.Builder<Long, StreamRecord>()
                .keyType(LongDataType.INSTANCE).valueType(Codec.RecordType.INSTANCE));
    }

    /**
     * Makes {@code changes} durable and applied (in memory: applies them). The caller holds the locks of the items
     * changed until this returns, so the next writer of an item reads its applied value from the map, and changes
     * of one item reach the log in the order they were made.
     */
    public void write(Changes changes) {
        if (changes.isEmpty() || log == null) {
            try {
                apply(changes);
            } finally {
                changes.runAfterApply();
            }
            return;
        }
        long number;
        try {
            IllegalStateException failed = log.failure();
            if (failed != null) {
                throw failed;
            }
            number = log.append(encode(changes), changes);
        } catch (RuntimeException e) {
            changes.runAfterApply();
            throw e;
        }
        log.awaitApplied(number);
    }

    /** On the thread leading the log's flush, once the record is fsynced. */
    private void applyLogged(Object attachment) {
        Changes changes = (Changes) attachment;
        try {
            apply(changes);
        } finally {
            changes.runAfterApply();
        }
    }

    private void apply(Changes changes) {
        for (Changes.Op op : changes.ops) {
            if (op.map() != null && op.map().isClosed()) {
                continue; // its table was deleted after this write took it, before the write was logged: moot
            }
            switch (op.kind()) {
                case PUT -> op.map().put(op.key(), op.value());
                case REMOVE -> op.map().remove(op.key());
                case DROP_MAP -> {
                    if (store.hasMap(op.mapName())) {
                        store.removeMap(op.mapName());
                    }
                }
            }
        }
    }

    /** One per writer thread: MVStore's WriteBuffer grows by at least a megabyte, so a new one per record would cost that. */
    private static final ThreadLocal<WriteBuffer> ENCODE_BUFFER = ThreadLocal.withInitial(() -> new WriteBuffer(64 * 1024));

    @SuppressWarnings("unchecked")
    private static byte[] encode(Changes changes) {
        WriteBuffer buff = ENCODE_BUFFER.get().clear();
        buff.putVarInt(changes.ops.size());
        for (Changes.Op op : changes.ops) {
            buff.put((byte) op.kind().ordinal());
            StringDataType.INSTANCE.write(buff, op.mapName());
            if (op.kind() == Changes.Kind.DROP_MAP) {
                continue;
            }
            DataType<Object> keyType = (DataType<Object>) op.map().getKeyType();
            Object type = keyType;
            buff.put(type instanceof Codec.KeyType ? MAP_ITEMS : type instanceof LongDataType ? MAP_RECORDS : MAP_STRINGS);
            keyType.write(buff, op.key());
            if (op.kind() == Changes.Kind.PUT) {
                ((DataType<Object>) op.map().getValueType()).write(buff, op.value());
            }
        }
        ByteBuffer b = buff.getBuffer();
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    /** Applies one replayed log record: its puts and removes set values outright, so applying one twice is harmless. */
    private void applyRecord(ByteBuffer payload) {
        apply(decode(payload));
    }

    /** A logged record as {@link Changes} again; writes into a map an earlier record dropped are left out (moot). */
    @SuppressWarnings("unchecked")
    private Changes decode(ByteBuffer payload) {
        Changes changes = new Changes();
        int n = org.h2.mvstore.DataUtils.readVarInt(payload);
        for (int i = 0; i < n; i++) {
            Changes.Kind kind = Changes.Kind.values()[payload.get()];
            String name = StringDataType.INSTANCE.read(payload);
            if (kind == Changes.Kind.DROP_MAP) {
                changes.dropMap(name);
                droppedInReplay.add(name);
                continue;
            }
            byte mapKind = payload.get();
            DataType<?> keyType = mapKind == MAP_ITEMS ? Codec.KeyType.INSTANCE
                    : mapKind == MAP_RECORDS ? LongDataType.INSTANCE : StringDataType.INSTANCE;
            DataType<?> valueType = mapKind == MAP_ITEMS ? Codec.ItemType.INSTANCE
                    : mapKind == MAP_RECORDS ? Codec.RecordType.INSTANCE : StringDataType.INSTANCE;
            Object key = keyType.read(payload);
            Object value = kind == Changes.Kind.PUT ? valueType.read(payload) : null;
            if (droppedInReplay.contains(name)) {
                continue;
            }
            MVMap<Object, Object> map = (MVMap<Object, Object>) (MVMap<?, ?>) switch (mapKind) {
                case MAP_ITEMS -> items(name);
                case MAP_RECORDS -> records(name);
                default -> strings(name);
            };
            if (kind == Changes.Kind.PUT) {
                changes.put(map, key, value);
            } else {
                changes.remove(map, key);
            }
        }
        return changes;
    }

    private void checkpointLoop() {
        while (running) {
            LockSupport.parkNanos(CHECKPOINT_NANOS);
            if (!running) {
                return;
            }
            try {
                if (log.lastAssigned() == checkpointed) {
                    continue;
                }
                long first = log.rotate();
                checkpoints.put(CHECKPOINT_KEY, Long.toString(first - 1));
                // moves live pages out of sparse chunks, a little each time
                store.compact(70, COMPACT_BYTES_PER_PASS);
                store.commit();
                store.sync();
                log.deleteBefore(first);
                checkpointed = first - 1;
            } catch (RuntimeException e) {
                if (!running || log.failure() != null) {
                    return; // closing, or the log failed: writers see that failure themselves
                }
                // the log keeps every record the stored version lacks, so a later checkpoint can still take them
                System.err.println("{\"level\":\"ERROR\",\"message\":\"engine checkpoint failed\",\"error\":\""
                        + e.toString().replace("\"", "'") + "\"}");
            }
        }
    }

    /** Runs {@code action} with no other table creation or deletion at the same time. */
    public void exclusively(Runnable action) {
        ddl.lock();
        try {
            action.run();
        } finally {
            ddl.unlock();
        }
    }

    @Override
    public void close() {
        running = false;
        if (log != null) {
            LockSupport.unpark(checkpointer);
            try {
                checkpointer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.close(); // writes, fsyncs and applies what is queued; later writes fail
        }
        if (!store.isClosed()) {
            if (log != null) {
                checkpoints.put(CHECKPOINT_KEY, Long.toString(log.lastAssigned()));
                store.commit();
                store.sync();
                log.deleteAll();
                // a clean stop is the time to move live pages out of sparse chunks and shrink the file; the
                // running checkpointer compacts only a little at a time
                store.close(CLOSE_COMPACTION_MILLIS);
            } else {
                store.close();
            }
        }
    }
}
