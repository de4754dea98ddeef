package com.onepoint.engine.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The durable engine's redo log. A write appends one record (all of its map changes) and waits. The first waiter
 * to find no flush running leads one: it writes and fsyncs whatever has queued meanwhile (group commit), then hands
 * each record's attachment, in order, to the applier, which changes the maps; the others wait for it. So the maps,
 * and every MVStore version cut from them, hold nothing that is not already on disk here, and a write that finds the
 * log idle fsyncs on its own thread, with no hand-off to another. Segment files are named by the number of their first record; a checkpoint starts a new
 * segment and, once MVStore holds every record before it, deletes the older ones but one, the next spare (below).
 * <p>
 * Record framing: {@code [int length][int CRC-32C of the rest][long number][payload]}, little-endian. Within a
 * segment the numbers run on from the one in its name. A rotation ends a segment with an end marker (length 0,
 * number 0). A crash can leave the last record of the last segment torn; replay stops there.
 * <p>
 * A checkpointed segment is not deleted but kept as the next one ({@value #SPARE}): overwriting blocks a file already
 * has changes no file metadata, so the fsync that acknowledges a write is a data flush alone, while a growing file's
 * must also commit its new size through the file system's journal (ext4 here, with a checkpoint's chunks being
 * written meanwhile: p50 0.14 ms instead of 0.17-0.22, p99 0.31 instead of 0.39-0.71; engine/README.md). A recycled
 * segment's old records are told apart by their numbers, which do not run on from its new name's.
 */
final class WriteAheadLog implements AutoCloseable {
    private static final String PREFIX = "engine-";
    private static final String SUFFIX = ".wal";
    private static final int HEADER = 16;
    static final String SPARE = PREFIX + "spare.tmp";

    private final Path directory;
    private final Object queueLock = new Object();
    private List<ByteBuffer> queue = new ArrayList<>();
    private List<Object> attachments = new ArrayList<>();
    private long lastAssigned;
    private final Consumer<Object> applier;
    /** Threads waiting for their record; each is unparked once (parking on one monitor would convoy them). */
    private final java.util.concurrent.ConcurrentLinkedQueue<Waiter> waiters = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile long applied;
    private volatile IllegalStateException failure;
    private volatile boolean running = true;
    /** Held by the thread leading a flush; the segment is written only under it. */
    private final java.util.concurrent.locks.ReentrantLock flushLock = new java.util.concurrent.locks.ReentrantLock();
    private FileChannel segment;
    /** A checkpointed segment renamed {@link #SPARE}, which the next rotation overwrites; null if none. */
    private final java.util.concurrent.atomic.AtomicReference<Path> spare = new java.util.concurrent.atomic.AtomicReference<>();

    private record Waiter(long number, Thread thread) {
    }

    /** Starts a log whose next record is {@code next}, in a new segment. */
    WriteAheadLog(Path directory, long next, Consumer<Object> applier) {
        this.directory = directory;
        this.applier = applier;
        this.lastAssigned = next - 1;
        this.applied = next - 1;
        try {
            Files.deleteIfExists(directory.resolve(SPARE)); // every record in it was checkpointed before it became one
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete the engine's spare log segment in " + directory, e);
        }
        this.segment = openSegment(next);
    }

    /**
     * Queues one record and returns its number; the caller then waits with {@link #awaitApplied}.
     */
    long append(byte[] payload, Object attachment) {
        ByteBuffer frame = ByteBuffer.allocate(HEADER + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        long number;
        synchronized (queueLock) {
            if (!running) {
                throw new IllegalStateException("the engine is closed");
            }
            number = ++lastAssigned;
            frame.putInt(payload.length).putInt(0).putLong(number).put(payload);
            CRC32C crc = new CRC32C();
            crc.update(frame.array(), 8, 8 + payload.length);
            frame.putInt(4, (int) crc.getValue()).flip();
            queue.add(frame);
            attachments.add(attachment);
        }
        return number;
    }

    /** Returns once record {@code number} is fsynced and applied, leading the flush that does it if none is running. */
    void awaitApplied(long number) {
        Waiter w = null;
        try {
            while (applied < number) {
                if (failure != null) {
                    throw failure;
                }
                if (flushLock.tryLock()) {
                    try {
                        if (applied < number) {
                            flush(false);
                        }
                    } finally {
                        flushLock.unlock();
                    }
                    wakeNextLeader();
                } else if (w == null) {
                    w = new Waiter(number, Thread.currentThread());
                    waiters.add(w); // then look again before parking: the leader may have finished meanwhile
                } else {
                    LockSupport.parkNanos(this, 2_000_000L);
                }
            }
        } finally {
            if (w != null) {
                waiters.remove(w);
            }
        }
    }

    /** After a flush: a record queued while it ran needs a leader, so one of its waiters is woken to lead. */
    private void wakeNextLeader() {
        long done = applied;
        for (Waiter w : waiters) {
            if (w.number() > done) {
                LockSupport.unpark(w.thread());
                return;
            }
        }
    }

    /** Under {@link #flushLock}: writes, fsyncs and applies every queued record; {@code rotate} then starts a segment. */
    private void flush(boolean rotate) {
        List<ByteBuffer> batch;
        List<Object> attached;
        long upTo;
        synchronized (queueLock) {
            batch = queue;
            attached = attachments;
            upTo = lastAssigned;
            if (!batch.isEmpty() || rotate) {
                queue = new ArrayList<>();
                attachments = new ArrayList<>();
            }
        }
        try {
            if (rotate) {
                batch.add(endMarker()); // taken from the queue above, so no writer adds to it any more
            }
            if (!batch.isEmpty()) {
                ByteBuffer[] buffers = batch.toArray(new ByteBuffer[0]);
                long remaining = 0;
                for (ByteBuffer b : buffers) {
                    remaining += b.remaining();
                }
                while (remaining > 0) {
                    remaining -= segment.write(buffers);
                }
                segment.force(false);
                attached.forEach(applier); // an end marker has no attachment
            }
            if (rotate) {
                FileChannel old = segment;
                segment = openSegment(upTo + 1);
                old.close();
            }
        } catch (IOException | RuntimeException e) {
            // nothing more can be made durable: every waiting and later writer fails with this
            failure = new IllegalStateException("the engine's log failed: " + e, e);
            waiters.forEach(x -> LockSupport.unpark(x.thread()));
            throw failure;
        }
        applied = upTo;
        for (Waiter w : waiters) {
            if (w.number() <= upTo) {
                LockSupport.unpark(w.thread());
            }
        }
    }

    long lastAssigned() {
        synchronized (queueLock) {
            return lastAssigned;
        }
    }

    IllegalStateException failure() {
        return failure;
    }

    /** Starts a new segment and returns the number of its first record: every record before it is applied. */
    long rotate() {
        checkRunning();
        flushLock.lock();
        try {
            checkRunning();
            flush(true);
            return applied + 1;
        } finally {
            flushLock.unlock();
            wakeNextLeader();
        }
    }

    private void checkRunning() {
        if (failure != null) {
            throw failure;
        }
        if (!running) {
            throw new IllegalStateException("the engine is closed");
        }
    }

    /** After {@link #close} and a checkpoint holding every record: deletes every segment. */
    void deleteAll() {
        try {
            Files.deleteIfExists(directory.resolve(SPARE));
        } catch (IOException e) {
            // the next start deletes it
        }
        for (Segment s : segments(directory)) {
            try {
                Files.deleteIfExists(s.path());
            } catch (IOException e) {
                // a later start replays it; the checkpoint makes that a no-op
            }
        }
    }

    /** Deletes the segments whose records all come before {@code first}, keeping one as the spare. */
    void deleteBefore(long first) {
        for (Segment s : segments(directory)) {
            if (s.first() < first && !s.path().equals(currentPath)) {
                try {
                    if (spare.get() == null) {
                        spare.set(Files.move(s.path(), directory.resolve(SPARE), StandardCopyOption.REPLACE_EXISTING));
                    } else {
                        Files.deleteIfExists(s.path());
                    }
                } catch (IOException e) {
                    // left for the next checkpoint; replay skips what a checkpoint already holds
                }
            }
        }
    }

    private volatile Path currentPath;

    private FileChannel openSegment(long first) {
        Path path = directory.resolve(PREFIX + String.format("%020d", first) + SUFFIX);
        try {
            Path recycled = spare.getAndSet(null);
            FileChannel channel;
            if (recycled != null) {
                Files.move(recycled, path);
                // the new name must be durable before a record in it is acknowledged: fdatasync does not write it
                try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                    dir.force(true);
                }
                channel = FileChannel.open(path, StandardOpenOption.WRITE);
            } else {
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            }
            currentPath = path;
            return channel;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the engine's log " + path, e);
        }
    }

    /** Writes, fsyncs and applies what is queued, then stops; later appends fail. */
    @Override
    public void close() {
        synchronized (queueLock) {
            running = false;
        }
        flushLock.lock();
        try {
            if (failure == null) {
                flush(false);
            }
            segment.close();
        } catch (IOException | RuntimeException e) {
            // the records were fsynced before, or the failure is already every writer's answer
        } finally {
            flushLock.unlock();
        }
    }

    record Segment(long first, Path path) {
    }

    static List<Segment> segments(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
            }).map(p -> {
                String n = p.getFileName().toString();
                return new Segment(Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length())), p);
            }).sorted(java.util.Comparator.comparingLong(Segment::first)).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the engine's log in " + directory, e);
        }
    }

    /**
     * Hands every record numbered after {@code after} to {@code apply}, in order; returns the last number read (or
     * {@code after}). A segment ends at its end marker, at the end of its file, or, if it is the last, at a torn
     * record or at a recycled segment's old bytes. Anything else before its end is damage, and fails.
     */
    static long replay(Path directory, long after, Consumer<ByteBuffer> apply) {
        List<Segment> segments = segments(directory);
        long last = after;
        for (int s = 0; s < segments.size(); s++) {
            boolean lastSegment = s == segments.size() - 1;
            ByteBuffer file;
            try {
                file = ByteBuffer.wrap(Files.readAllBytes(segments.get(s).path())).order(ByteOrder.LITTLE_ENDIAN);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the engine's log " + segments.get(s).path(), e);
            }
            long expected = segments.get(s).first();
            while (file.remaining() > 0) {
                int start = file.position();
                boolean whole = file.remaining() >= HEADER;
                int length = whole ? file.getInt(start) : -1;
                whole = whole && length >= 0 && file.remaining() - HEADER >= length;
                if (whole) {
                    CRC32C crc = new CRC32C();
                    crc.update(file.array(), start + 8, 8 + length);
                    whole = (int) crc.getValue() == file.getInt(start + 4);
                }
                long number = whole ? file.getLong(start + 8) : -1;
                if (whole && length == 0 && number == 0) {
                    break; // the end marker of a rotation
                }
                if (!whole || number != expected) {
                    if (lastSegment) {
                        break; // the write a crash interrupted (never acknowledged), or a recycled segment's old bytes
                    }
                    throw new IllegalStateException("the engine's log " + segments.get(s).path()
                            + " is damaged at byte " + start);
                }
                ByteBuffer payload = file.slice(start + HEADER, length).order(ByteOrder.BIG_ENDIAN);
                file.position(start + HEADER + length);
                expected++;
                if (number > after) {
                    apply.accept(payload);
                    last = Math.max(last, number);
                }
            }
        }
        return last;
    }

    private static ByteBuffer endMarker() {
        ByteBuffer end = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(end.array(), 8, 8);
        end.putInt(4, (int) crc.getValue());
        return end;
    }
}
