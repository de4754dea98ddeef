package com.onepoint.devkit.sqs;

import com.onepoint.shared.log.JsonLog;
import org.elasticmq.actor.queue.InternalMessage;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The durable copy of every queue's messages under one directory ({@code <data-dir>/sqs/}).
 *
 * <p>{@code messages.log} is an append-only log of records, each {@code [int length][int CRC32C][payload]}: PUT (a
 * message's whole state, after a send or a receive), REMOVE, DROP_QUEUE. One writer thread applies what ElasticMQ
 * reports, appends, and only then answers, so ElasticMQ answers no SendMessage, ReceiveMessage,
 * ChangeMessageVisibility or DeleteMessage before its effect is written: in the OS's page cache, which a killed
 * process (kill -9) cannot lose. A message added (a send, a move to a DLQ) is moreover forced
 * ({@link FileChannel#force}, fdatasync) before the answer, so an acknowledged send also survives an OS crash or
 * power loss; a receive or delete written but not yet forced when the power goes can only make a message come back
 * (with a lower receive count), never lose one. Operations that arrive together share one write and one force
 * (group commit); a force also covers every record written before it. Opening replays the log up to the first
 * record that is short or fails its CRC (the tail a crash may tear), then rewrites it compacted (write a new file,
 * force it, rename it over the old one, force the directory), which also happens online when the log outgrows 4
 * times its live data. A {@code lock} file keeps a second process (or a second LocalSqs in this JVM) off the
 * directory.
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
    static final String LOG_FILE = "messages.log";
    static final Duration MOVE_GRACE = Duration.ofSeconds(5);
    private static final Duration EARLY_REMOVE_MEMORY = Duration.ofMinutes(1);
    private static final byte[] MAGIC = "OPSQSJ01".getBytes(StandardCharsets.US_ASCII);
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;
    private static final byte DROP_QUEUE = 3;
    /** More than any SQS message (256 KiB) with its attributes and receipts; a larger length is a torn record. */
    private static final int MAX_RECORD = 64 << 20;
    static final long COMPACT_MIN_BYTES = 32L << 20;
    private static final JsonLog LOG = JsonLog.of(SqsJournal.class);

    /** How the writer answers an operation: {@code failure} is null once it is on disk. */
    interface Reply {
        void done(Throwable failure);
    }

    private enum Kind { ADD, UPDATE, REMOVE, DROP, CLOSE }

    private record Op(Kind kind, String queue, String id, byte[] state, Reply reply) {
    }

    private record Live(byte[] state, long nextDelivery) {
    }

    private record PendingRemove(String queue, long deadline) {
    }

    private final Path dir;
    private final Path log;
    private final boolean force;
    private final long moveGraceMillis;
    private final long compactMinBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Queue name → message id → state. Owned by the writer thread once it runs. */
    private final Map<String, Map<String, Live>> live = new HashMap<>();
    private long liveBytes;
    private final Map<String, PendingRemove> pendingRemoves = new HashMap<>();
    private final Map<String, Long> earlyRemoves = new HashMap<>();
    /** What the log held when opened, for {@link #restore}: queue name → message id → state. */
    private final Map<String, Map<String, byte[]>> opened = new HashMap<>();
    private final LinkedBlockingQueue<Op> ops = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    private final Thread writer;
    private final int openedMessages;
    private final long tornBytes;
    private FileChannel channel;
    private long size;
    private boolean closed;
    private volatile Throwable failure;

    private SqsJournal(Path dir, boolean force, Duration moveGrace, long compactMinBytes) throws IOException {
        this.dir = dir;
        this.log = dir.resolve(LOG_FILE);
        this.force = force;
        this.moveGraceMillis = moveGrace.toMillis();
        this.compactMinBytes = compactMinBytes;
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        }
        if (acquired == null) {
            lockChannel.close();
            throw new IllegalStateException(dir + " is in use by another LocalSqs (this process or another one)");
        }
        this.lock = acquired;
        try {
            Files.deleteIfExists(dir.resolve(LOG_FILE + ".tmp")); // a compaction that died before its rename
            this.tornBytes = Files.exists(log) ? replay() : 0;
            int count = 0;
            for (Map.Entry<String, Map<String, Live>> q : live.entrySet()) {
                Map<String, byte[]> states = new LinkedHashMap<>();
                q.getValue().forEach((id, l) -> states.put(id, l.state()));
                opened.put(q.getKey(), states);
                count += states.size();
            }
            this.openedMessages = count;
            compact();
        } catch (IOException | RuntimeException e) {
            releaseLock();
            throw e;
        }
        this.writer = new Thread(this::run, "sqs-journal");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Opens (creating if need be) the journal in {@code dir}; {@link FileChannel#force} before every answer. */
    static SqsJournal open(Path dir) {
        return open(dir, true, MOVE_GRACE, COMPACT_MIN_BYTES);
    }

    /**
     * {@code force} false only writes before answering: kill -9 proof, not power-loss proof (for measurements);
     * {@code moveGrace} and {@code compactMinBytes} small for tests.
     */
    static SqsJournal open(Path dir, boolean force, Duration moveGrace, long compactMinBytes) {
        try {
            return new SqsJournal(dir, force, moveGrace, compactMinBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the SQS journal in " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    /** How many messages the log held when opened. */
    int openedMessages() {
        return openedMessages;
    }

    /** Bytes dropped from the end of the log when opened: a record torn by a crash while it was being written. */
    long tornBytes() {
        return tornBytes;
    }

    /** The error that stopped the writer, or null. After it, every operation is answered with it. */
    Throwable failure() {
        return failure;
    }

    /** The messages of {@code queue} the log held when opened, for ElasticMQ's RestoreMessages. */
    List<InternalMessage> restore(String queue) {
        Map<String, byte[]> states = opened.getOrDefault(queue, Map.of());
        List<InternalMessage> messages = new ArrayList<>(states.size());
        states.forEach((id, state) -> messages.add(MessageCodec.decode(id, state)));
        return messages;
    }

    /** Queue names the log held messages for when opened. */
    java.util.Set<String> openedQueues() {
        return java.util.Set.copyOf(opened.keySet());
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

    // ------------------------------------------------------------------ writer thread

    private void run() {
        List<Op> batch = new ArrayList<>();
        List<Reply> replies = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        boolean closing = false;
        while (!closing) {
            batch.clear();
            replies.clear();
            out.reset();
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
                boolean mustForce = false;
                for (Op op : batch) {
                    if (op.kind() == Kind.CLOSE) {
                        closing = true;
                    } else if (failure == null) {
                        apply(op, now, out);
                        mustForce |= op.kind() == Kind.ADD || op.kind() == Kind.DROP;
                    }
                    if (op.reply() != null) {
                        replies.add(op.reply());
                    }
                }
                if (failure == null) {
                    expire(now, out);
                    if (out.size() > 0) {
                        append(out, mustForce || closing);
                    }
                    if (size > compactMinBytes && size > 4 * liveBytes) {
                        compact();
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                fail(e);
            }
            Throwable f = failure;
            for (Reply r : replies) {
                r.done(f);
            }
        }
    }

    private void apply(Op op, long now, ByteArrayOutputStream out) throws IOException {
        switch (op.kind()) {
            case ADD -> {
                if (earlyRemoves.remove(key(op.queue(), op.id())) != null) {
                    return; // removed before its send reached the journal
                }
                put(op.queue(), op.id(), op.state(), out);
                PendingRemove pending = pendingRemoves.remove(op.id());
                if (pending != null && !pending.queue().equals(op.queue())) {
                    removeNow(pending.queue(), op.id(), out); // a move: its source copy goes after it arrived
                }
            }
            case UPDATE -> {
                Map<String, Live> q = live.get(op.queue());
                if (q != null && q.containsKey(op.id())) {
                    put(op.queue(), op.id(), op.state(), out);
                } // else: removed already (an update that arrived late), or not added yet (the add will carry it)
            }
            case REMOVE -> {
                Map<String, Live> q = live.get(op.queue());
                Live l = q == null ? null : q.get(op.id());
                if (l == null) {
                    earlyRemoves.put(key(op.queue(), op.id()), now);
                } else if (l.nextDelivery() > now || inAnotherQueue(op.queue(), op.id())) {
                    removeNow(op.queue(), op.id(), out); // deleted in flight, or its move already arrived
                } else {
                    pendingRemoves.put(op.id(), new PendingRemove(op.queue(), now + moveGraceMillis));
                }
            }
            case DROP -> {
                Map<String, Live> q = live.remove(op.queue());
                if (q != null) {
                    for (Map.Entry<String, Live> e : q.entrySet()) {
                        liveBytes -= frameSize(op.queue(), e.getKey(), e.getValue().state());
                    }
                }
                pendingRemoves.values().removeIf(p -> p.queue().equals(op.queue()));
                frame(out, payload(DROP_QUEUE, op.queue(), null, null));
            }
            default -> throw new IllegalStateException("unexpected " + op.kind());
        }
    }

    private void expire(long now, ByteArrayOutputStream out) throws IOException {
        for (Iterator<Map.Entry<String, PendingRemove>> it = pendingRemoves.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, PendingRemove> e = it.next();
            if (e.getValue().deadline() <= now) {
                it.remove();
                removeNow(e.getValue().queue(), e.getKey(), out);
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

    private void put(String queue, String id, byte[] state, ByteArrayOutputStream out) throws IOException {
        Live previous = live.computeIfAbsent(queue, k -> new LinkedHashMap<>())
                .put(id, new Live(state, MessageCodec.nextDelivery(state)));
        if (previous != null) {
            liveBytes -= frameSize(queue, id, previous.state());
        }
        liveBytes += frameSize(queue, id, state);
        if (out != null) {
            frame(out, payload(PUT, queue, id, state));
        }
    }

    private void removeNow(String queue, String id, ByteArrayOutputStream out) throws IOException {
        Map<String, Live> q = live.get(queue);
        Live removed = q == null ? null : q.remove(id);
        if (removed == null) {
            return;
        }
        liveBytes -= frameSize(queue, id, removed.state());
        if (out != null) {
            frame(out, payload(REMOVE, queue, id, null));
        }
    }

    private void append(ByteArrayOutputStream out, boolean mustForce) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(out.toByteArray());
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        if (force && mustForce) {
            channel.force(false); // fdatasync: also every record written before, unforced, in earlier batches
        }
        size = channel.position();
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
            LOG.error(null, "sqs journal failed; from now on no SQS operation is acknowledged", Map.of(
                    "dir", dir.toString(), "error", String.valueOf(e)));
        }
    }

    // ------------------------------------------------------------------ files

    /** Reads the log into {@link #live}; returns how many bytes at its end were not a whole, valid record. */
    private long replay() throws IOException {
        long fileSize = Files.size(log);
        if (fileSize == 0) {
            return 0;
        }
        long position = MAGIC.length;
        try (InputStream raw = Files.newInputStream(log);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            if (!Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
                throw new IllegalStateException(log + " is not an SQS journal of this version; move it away to start empty");
            }
            CRC32C crc = new CRC32C();
            while (true) {
                int length;
                int checksum;
                try {
                    length = in.readInt();
                    if (length <= 0 || length > MAX_RECORD) {
                        break;
                    }
                    checksum = in.readInt();
                } catch (EOFException end) {
                    break;
                }
                byte[] payload = in.readNBytes(length);
                if (payload.length != length) {
                    break;
                }
                crc.reset();
                crc.update(payload);
                if ((int) crc.getValue() != checksum) {
                    break;
                }
                replayRecord(payload);
                position += 8 + length;
            }
        }
        return fileSize - position;
    }

    private void replayRecord(byte[] payload) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            byte type = in.readByte();
            String queue = MessageCodec.readString(in);
            if (type == PUT) {
                String id = MessageCodec.readString(in);
                byte[] state = in.readNBytes(in.readInt());
                put(queue, id, state, null);
            } else if (type == REMOVE) {
                removeNow(queue, MessageCodec.readString(in), null);
            } else if (type == DROP_QUEUE) {
                Map<String, Live> q = live.remove(queue);
                if (q != null) {
                    q.forEach((id, l) -> liveBytes -= frameSize(queue, id, l.state()));
                }
            } else {
                throw new IllegalStateException(log + ": unknown record type " + type);
            }
        }
    }

    /** Writes every live message to a new log, forces it, renames it over the old one and forces the directory. */
    private void compact() throws IOException {
        Path tmp = dir.resolve(LOG_FILE + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
            buffer.write(MAGIC);
            for (Map.Entry<String, Map<String, Live>> q : live.entrySet()) {
                for (Map.Entry<String, Live> m : q.getValue().entrySet()) {
                    frame(buffer, payload(PUT, q.getKey(), m.getKey(), m.getValue().state()));
                    if (buffer.size() >= 1 << 20) {
                        writeFully(out, buffer);
                    }
                }
            }
            writeFully(out, buffer);
            out.force(true);
        }
        if (channel != null) {
            channel.close();
        }
        Files.move(tmp, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        channel = FileChannel.open(log, StandardOpenOption.WRITE);
        size = channel.size();
        channel.position(size);
    }

    private static void writeFully(FileChannel out, ByteArrayOutputStream buffer) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buffer.toByteArray());
        while (b.hasRemaining()) {
            out.write(b);
        }
        buffer.reset();
    }

    /** The rename is durable once the directory is; not every platform can open a directory (Windows cannot). */
    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // the file's own force still holds; only the rename's durability depends on the platform here
        }
    }

    private static byte[] payload(byte type, String queue, String id, byte[] state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + (state == null ? 0 : state.length));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(type);
            MessageCodec.writeString(out, queue);
            if (id != null) {
                MessageCodec.writeString(out, id);
            }
            if (state != null) {
                out.writeInt(state.length);
                out.write(state);
            }
        }
        return bytes.toByteArray();
    }

    private static int frameSize(String queue, String id, byte[] state) {
        return 8 + 1 + 4 + queue.length() + 4 + id.length() + 4 + state.length; // ids and names are ASCII
    }

    private static void frame(ByteArrayOutputStream out, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer header = ByteBuffer.allocate(8).putInt(payload.length).putInt((int) crc.getValue());
        out.write(header.array(), 0, 8);
        out.write(payload, 0, payload.length);
    }

    private static String key(String queue, String id) {
        return queue + '\n' + id;
    }

    /** Waits for everything submitted to be on disk, stops the writer, releases the directory. */
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
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            fail(e);
        }
        releaseLock();
    }

    private void releaseLock() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the OS drops the lock with the process anyway
        }
    }
}
