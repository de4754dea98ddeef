package com.onepoint.devkit.sqs;

import com.onepoint.shared.log.JsonLog;
import org.elasticmq.actor.queue.InternalMessage;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The durable copy of every queue's messages under one directory ({@code <data-dir>/sqs/}).
 *
 * <p>{@code messages.mv.db} is an H2 MVStore file holding one map, {@code (queue, sequence number of the send,
 * message id)} → the message's whole state ({@link MessageCodec}, after a send or a receive). The sequence number
 * makes a restore hand ElasticMQ every queue's messages in the order they were sent, and makes a send append at the
 * end of the map's B-tree (a commit rewrites the pages it touched; random ids would touch one page per message);
 * the writer finds a message's key from its id in memory. One writer thread applies what ElasticMQ
 * reports to the map, a batch at a time, then {@link MVStore#commit()}s the batch as one new version and only then
 * answers, so ElasticMQ answers no SendMessage, ReceiveMessage, ChangeMessageVisibility or DeleteMessage before its
 * effect is written: in the OS's page cache, which a killed process (kill -9) cannot lose. A batch that adds a
 * message (a send, a move to a DLQ) or drops a queue is moreover {@link MVStore#sync() synced} (fsync) before the
 * answer, so an acknowledged send also survives an OS crash or power loss; a receive or delete committed but not yet
 * synced when the power goes can only make a message come back (with a lower receive count), never lose one.
 * Operations that arrive together share one commit and one sync (group commit); a sync also covers every version
 * committed before it. Autocommit is off: nothing reaches the file but these commits, each of them whole.
 *
 * <p>Torn writes and space are MVStore's business. On open it finds the newest version whose chunks are whole (a
 * chunk a crash tore is ignored, and with it only changes never acknowledged as durable). A chunk no version needs
 * any more is reused once MVStore's retention time (its default, 45 s, deliberately kept: a shorter one lets a new
 * chunk overwrite one that the newest synced version still reaches through the file header, which a crash could
 * then lose) has passed; once a second the writer also moves the live pages out of sparse chunks, a little at a time
 * ({@link MVStore#compact(int, int)}), as the engine's store does. MVStore locks the file: a second process (or a
 * second LocalSqs in this JVM) opening the directory fails with "is in use by another LocalSqs".
 *
 * <p>Two orderings ElasticMQ does not guarantee are handled here. Its queue actor asks this listener from
 * futures, so events of different requests can arrive out of order: a removal can arrive before the send it
 * removes; it is remembered for a minute and the late send is then not written. And a message ElasticMQ moves
 * (to a dead-letter queue after maxReceiveCount, or by a message-move task) is first removed from its source
 * and then added to its destination, two events in either order: a removal of a message that is not in flight
 * (its visibility timeout has expired, which a consumer's delete normally is not) is written only when the same
 * message id is added to another queue, or {@link #MOVE_GRACE} later. Until then a crash keeps it in its source
 * queue (delivered again; the consumers are idempotent) instead of losing it between the two writes.
 */
final class SqsJournal implements AutoCloseable {
    static final String STORE_FILE = "messages.mv.db";
    /** What an earlier devkit wrote (its own log format); no longer read. */
    static final String LEGACY_LOG_FILE = "messages.log";
    static final Duration MOVE_GRACE = Duration.ofSeconds(5);
    private static final Duration EARLY_REMOVE_MEMORY = Duration.ofMinutes(1);
    private static final String MAP = "messages";
    /** With autocommit off MVStore does no housekeeping of its own: the writer rewrites sparse chunks this often. */
    private static final long HOUSEKEEPING_MILLIS = 1000;
    /**
     * Queued messages are few and short-lived, so the live pages of sparse chunks are few: a pass can afford more than
     * the engine's (whose writers wait while it runs); at 256 KB a file under a steady flow kept thousands of chunks.
     */
    private static final int COMPACT_BYTES_PER_PASS = 2 * 1024 * 1024;
    private static final int CLOSE_COMPACT_BYTES = 64 * 1024 * 1024;
    private static final JsonLog LOG = JsonLog.of(SqsJournal.class);

    /** How the writer answers an operation: {@code failure} is null once it is on disk. */
    interface Reply {
        void done(Throwable failure);
    }

    private enum Kind { ADD, UPDATE, REMOVE, DROP, CLOSE }

    private record Op(Kind kind, String queue, String id, byte[] state, Reply reply) {
    }

    /** What the writer keeps of a message in the store: its send's sequence number and when it is visible next. */
    private record Live(long seq, long nextDelivery) {
    }

    private record PendingRemove(String queue, long deadline) {
    }

    private final Path dir;
    private final boolean force;
    private final long moveGraceMillis;
    private final MVStore store;
    /** {@link #key} → state. Written by the writer thread only. */
    private final MVMap<String, byte[]> messages;
    /** Queue name → message id → what the store holds. Owned by the writer thread once it runs. */
    private final Map<String, Map<String, Live>> live = new HashMap<>();
    private long nextSeq;
    private final Map<String, PendingRemove> pendingRemoves = new HashMap<>();
    private final Map<String, Long> earlyRemoves = new HashMap<>();
    /** What the store held when opened, for {@link #restore}: queue name → message id → state, in send order. */
    private final Map<String, Map<String, byte[]>> opened = new HashMap<>();
    private final LinkedBlockingQueue<Op> ops = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    private final Thread writer;
    private final int openedMessages;
    private long lastHousekeeping = System.currentTimeMillis();
    private boolean closed;
    private volatile Throwable failure;

    private SqsJournal(Path dir, boolean force, Duration moveGrace) throws IOException {
        this.dir = dir;
        this.force = force;
        this.moveGraceMillis = moveGrace.toMillis();
        Files.createDirectories(dir);
        if (Files.exists(dir.resolve(LEGACY_LOG_FILE))) {
            LOG.warn(null, "sqs: ignoring " + LEGACY_LOG_FILE + " of an earlier devkit; its messages are not restored",
                    Map.of("dir", dir.toString()));
        }
        this.store = openStore(dir);
        try {
            this.messages = store.openMap(MAP, new MVMap.Builder<String, byte[]>()
                    .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
            this.openedMessages = load();
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
        this.writer = new Thread(this::run, "sqs-journal");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    private static MVStore openStore(Path dir) {
        try {
            // small pages: a commit rewrites every page it touched, so its cost grows with the page size
            MVStore store = new MVStore.Builder().fileName(dir.resolve(STORE_FILE).toString())
                    .autoCommitDisabled().cacheSize(16).pageSplitSize(4 * 1024).open();
            // nobody reads old versions; the retention time stays MVStore's default (see the class comment)
            store.setVersionsToKeep(0);
            return store;
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new IllegalStateException(dir + " is in use by another LocalSqs (this process or another one)", e);
            }
            throw e;
        }
    }

    /** Opens (creating if need be) the journal in {@code dir}; synced before a send or move is answered. */
    static SqsJournal open(Path dir) {
        return open(dir, true, MOVE_GRACE);
    }

    /**
     * {@code force} false only commits before answering: kill -9 proof, not power-loss proof (for measurements);
     * {@code moveGrace} small for tests.
     */
    static SqsJournal open(Path dir, boolean force, Duration moveGrace) {
        try {
            return new SqsJournal(dir, force, moveGrace);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the SQS journal in " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    /** How many messages the store held when opened. */
    int openedMessages() {
        return openedMessages;
    }

    /** The error that stopped the writer, or null. After it, every operation is answered with it. */
    Throwable failure() {
        return failure;
    }

    /** The messages of {@code queue} the store held when opened, for ElasticMQ's RestoreMessages. */
    List<InternalMessage> restore(String queue) {
        Map<String, byte[]> states = opened.getOrDefault(queue, Map.of());
        List<InternalMessage> restored = new ArrayList<>(states.size());
        states.forEach((id, state) -> restored.add(MessageCodec.decode(id, state)));
        return restored;
    }

    /** Queue names the store held messages for when opened. */
    Set<String> openedQueues() {
        return Set.copyOf(opened.keySet());
    }

    /** A message was sent (or moved) to {@code queue}. */
    void add(String queue, String id, byte[] state, Reply reply) {
        submit(new Op(Kind.ADD, queue, id, state, reply));
    }

    /** A message changed (received, visibility changed); ignored unless it is in the journal. */
    void update(String queue, String id, byte[] state, Reply reply) {
        submit(new Op(Kind.UPDATE, queue, id, state, reply));
    }

    /** A message was deleted (or moved away) from {@code queue}. */
    void remove(String queue, String id, Reply reply) {
        submit(new Op(Kind.REMOVE, queue, id, null, reply));
    }

    /** A queue was deleted: its messages go with it. */
    void dropQueue(String queue) {
        submit(new Op(Kind.DROP, queue, null, null, null));
    }

    private void submit(Op op) {
        synchronized (submitLock) {
            if (closed || failure != null) {
                if (op.reply() != null) {
                    op.reply().done(failure != null ? failure : new IllegalStateException("SQS journal closed"));
                }
                return;
            }
            ops.add(op);
        }
    }

    /** Reads the map (in key order: by queue, then send order) into {@link #live} and {@link #opened}. */
    private int load() {
        int count = 0;
        for (Cursor<String, byte[]> it = messages.cursor(null); it.hasNext(); ) {
            String key = it.next();
            int first = key.indexOf('\n');
            int second = key.indexOf('\n', first + 1);
            String queue = key.substring(0, first);
            long seq = Long.parseUnsignedLong(key.substring(first + 1, second), 16);
            String id = key.substring(second + 1);
            byte[] state = it.getValue();
            opened.computeIfAbsent(queue, k -> new LinkedHashMap<>()).put(id, state);
            live.computeIfAbsent(queue, k -> new HashMap<>()).put(id, new Live(seq, MessageCodec.nextDelivery(state)));
            nextSeq = Math.max(nextSeq, seq + 1);
            count++;
        }
        return count;
    }

    // ------------------------------------------------------------------ writer thread

    private void run() {
        List<Op> batch = new ArrayList<>();
        List<Reply> replies = new ArrayList<>();
        boolean closing = false;
        while (!closing) {
            batch.clear();
            replies.clear();
            try {
                Op first = ops.poll(250, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    ops.drainTo(batch);
                }
            } catch (InterruptedException e) {
                // not used to stop the writer: a CLOSE operation does
            }
            try {
                long now = System.currentTimeMillis();
                boolean mustSync = false;
                for (Op op : batch) {
                    if (op.kind() == Kind.CLOSE) {
                        closing = true;
                    } else if (failure == null) {
                        apply(op, now);
                        mustSync |= op.kind() == Kind.ADD || op.kind() == Kind.DROP;
                    }
                    if (op.reply() != null) {
                        replies.add(op.reply());
                    }
                }
                if (failure == null) {
                    expire(now);
                    if (closing) {
                        // a clean stop leaves few chunks for the next start to read: the queues hold little, and
                        // every chunk with one live page left in it would be read again on open
                        store.compact(90, CLOSE_COMPACT_BYTES);
                    } else if (now - lastHousekeeping >= HOUSEKEEPING_MILLIS) {
                        lastHousekeeping = now;
                        // moves live pages out of sparse chunks, into the next version; a little at a time
                        store.compact(70, COMPACT_BYTES_PER_PASS);
                    }
                    if (store.hasUnsavedChanges()) {
                        store.commit();
                        if (force && (mustSync || closing)) {
                            store.sync(); // fsync: also every version committed before, unsynced, in earlier batches
                        }
                    }
                }
            } catch (RuntimeException | Error e) {
                fail(e);
            }
            Throwable f = failure;
            for (Reply r : replies) {
                r.done(f);
            }
        }
    }

    private void apply(Op op, long now) {
        switch (op.kind()) {
            case ADD -> {
                if (earlyRemoves.remove(op.queue() + '\n' + op.id()) != null) {
                    return; // removed before its send reached the journal
                }
                put(op.queue(), op.id(), op.state());
                PendingRemove pending = pendingRemoves.remove(op.id());
                if (pending != null && !pending.queue().equals(op.queue())) {
                    removeNow(pending.queue(), op.id()); // a move: its source copy goes after it arrived
                }
            }
            case UPDATE -> {
                Map<String, Live> q = live.get(op.queue());
                if (q != null && q.containsKey(op.id())) {
                    put(op.queue(), op.id(), op.state());
                } // else: removed already (an update that arrived late), or not added yet (the add will carry it)
            }
            case REMOVE -> {
                Map<String, Live> q = live.get(op.queue());
                Live l = q == null ? null : q.get(op.id());
                if (l == null) {
                    earlyRemoves.put(op.queue() + '\n' + op.id(), now);
                } else if (l.nextDelivery() > now || inAnotherQueue(op.queue(), op.id())) {
                    removeNow(op.queue(), op.id()); // deleted in flight, or its move already arrived
                } else {
                    pendingRemoves.put(op.id(), new PendingRemove(op.queue(), now + moveGraceMillis));
                }
            }
            case DROP -> {
                Map<String, Live> q = live.remove(op.queue());
                if (q != null) {
                    for (Map.Entry<String, Live> e : q.entrySet()) {
                        messages.remove(key(op.queue(), e.getValue().seq(), e.getKey()));
                    }
                }
                pendingRemoves.values().removeIf(p -> p.queue().equals(op.queue()));
            }
            default -> throw new IllegalStateException("unexpected " + op.kind());
        }
    }

    private void expire(long now) {
        for (Iterator<Map.Entry<String, PendingRemove>> it = pendingRemoves.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, PendingRemove> e = it.next();
            if (e.getValue().deadline() <= now) {
                it.remove();
                removeNow(e.getValue().queue(), e.getKey());
            }
        }
        earlyRemoves.values().removeIf(at -> at + EARLY_REMOVE_MEMORY.toMillis() <= now);
    }

    private boolean inAnotherQueue(String queue, String id) {
        for (Map.Entry<String, Map<String, Live>> q : live.entrySet()) {
            if (!q.getKey().equals(queue) && q.getValue().containsKey(id)) {
                return true;
            }
        }
        return false;
    }

    private void put(String queue, String id, byte[] state) {
        Map<String, Live> q = live.computeIfAbsent(queue, k -> new HashMap<>());
        Live previous = q.get(id);
        long seq = previous != null ? previous.seq() : nextSeq++; // an update keeps its place in the send order
        q.put(id, new Live(seq, MessageCodec.nextDelivery(state)));
        messages.put(key(queue, seq, id), state);
    }

    private void removeNow(String queue, String id) {
        Map<String, Live> q = live.get(queue);
        Live removed = q == null ? null : q.remove(id);
        if (removed != null) {
            messages.remove(key(queue, removed.seq(), id));
        }
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
            LOG.error(null, "sqs journal failed; from now on no SQS operation is acknowledged", Map.of(
                    "dir", dir.toString(), "error", String.valueOf(e)));
        }
    }

    /**
     * {@code queue \n seq \n id}, the sequence number in 16 hex digits so that string order is send order. Queue
     * names are SQS names and ids ElasticMQ's UUIDs: neither holds a newline.
     */
    private static String key(String queue, long seq, String id) {
        String hex = Long.toHexString(seq);
        return queue + '\n' + "0".repeat(16 - hex.length()) + hex + '\n' + id;
    }

    /** Waits for everything submitted to be on disk, stops the writer, closes the store (which unlocks it). */
    @Override
    public void close() {
        synchronized (submitLock) {
            if (closed) {
                return;
            }
            closed = true;
            ops.add(new Op(Kind.CLOSE, null, null, null, null));
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (failure == null && !writer.isAlive()) {
                store.close(); // the writer committed and synced everything; this also compacts a little
            } else {
                store.closeImmediately();
            }
        } catch (RuntimeException e) {
            fail(e);
            store.closeImmediately();
        }
    }
}
