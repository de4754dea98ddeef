package com.onepoint.engine.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The redo log on its own: order, group commit, segments, and what replay makes of a torn or damaged file. */
class WriteAheadLogTest {
    @TempDir
    Path dir;

    @Test
    void recordsAreAppliedInOrderAndReplayedAfterTheCheckpointOnly() {
        List<Object> applied = new ArrayList<>();
        try (WriteAheadLog log = new WriteAheadLog(dir, 1, applied::add)) {
            for (int i = 1; i <= 5; i++) {
                long n = log.append(bytes("r" + i), "r" + i);
                log.awaitApplied(n);
                assertEquals(i, n);
            }
        }
        assertEquals(List.of("r1", "r2", "r3", "r4", "r5"), applied);
        assertEquals(List.of("r3", "r4", "r5"), replay(2));
        assertEquals(List.of(), replay(5));
    }

    @Test
    void aTornLastRecordIsDroppedAndEverythingBeforeItReplays() throws IOException {
        try (WriteAheadLog log = new WriteAheadLog(dir, 1, a -> { })) {
            for (int i = 1; i <= 3; i++) {
                log.awaitApplied(log.append(bytes("r" + i), null));
            }
        }
        Path segment = WriteAheadLog.segments(dir).get(0).path();
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(f.length() - 1); // the crash cut the last write short
        }
        assertEquals(List.of("r1", "r2"), replay(0));
    }

    @Test
    void damageInASegmentBeforeTheLastFailsTheReplay() throws IOException {
        try (WriteAheadLog log = new WriteAheadLog(dir, 1, a -> { })) {
            log.awaitApplied(log.append(bytes("first"), null));
            assertEquals(2, log.rotate());
            log.awaitApplied(log.append(bytes("second"), null));
        }
        List<WriteAheadLog.Segment> segments = WriteAheadLog.segments(dir);
        assertEquals(2, segments.size());
        try (RandomAccessFile f = new RandomAccessFile(segments.get(0).path().toFile(), "rw")) {
            f.seek(f.length() - 1);
            f.write('X'); // a flipped byte, not a short write: the CRC catches it
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> replay(0));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void aCheckpointDeletesTheSegmentsItHolds() {
        try (WriteAheadLog log = new WriteAheadLog(dir, 1, a -> { })) {
            log.awaitApplied(log.append(bytes("a"), null));
            long first = log.rotate();
            log.awaitApplied(log.append(bytes("b"), null));
            log.deleteBefore(first);
            assertEquals(1, WriteAheadLog.segments(dir).size());
        }
        assertEquals(List.of("b"), replay(0));
    }

    @Test
    void aCheckpointedSegmentIsOverwrittenByALaterOneAndOnlyItsNewRecordsReplay() throws IOException {
        long recycledSize;
        try (WriteAheadLog log = new WriteAheadLog(dir, 1, a -> { })) {
            for (int i = 1; i <= 5; i++) {
                log.awaitApplied(log.append(bytes("old-" + "x".repeat(1000) + i), null));
            }
            Path first = WriteAheadLog.segments(dir).get(0).path();
            recycledSize = Files.size(first);
            assertEquals(6, log.rotate());
            log.awaitApplied(log.append(bytes("a"), null));
            log.deleteBefore(6);
            assertTrue(Files.exists(dir.resolve(WriteAheadLog.SPARE)), "the checkpointed segment is kept");
            assertEquals(7, log.rotate());
            // as long as an old record, so the next old record starts right after it, whole and with a valid CRC
            log.awaitApplied(log.append(bytes("new-" + "x".repeat(1000) + 7), null));
        }
        List<WriteAheadLog.Segment> segments = WriteAheadLog.segments(dir);
        assertEquals(List.of(6L, 7L), segments.stream().map(WriteAheadLog.Segment::first).toList());
        assertTrue(Files.size(segments.get(1).path()) >= recycledSize,
                "the second rotation overwrote the spare instead of starting an empty file");
        assertFalse(Files.exists(dir.resolve(WriteAheadLog.SPARE)), "the spare became segment 7");
        assertEquals(List.of("a", "new-" + "x".repeat(1000) + 7), replay(0),
                "the old records 2-5 left in the file after the new one are not replayed");
    }

    @Test
    void writersArrivingTogetherAreAllAppliedInTheirOrder() throws Exception {
        List<Object> applied = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.Map<Long, Object> byNumber = new java.util.concurrent.ConcurrentHashMap<>();
        int threads = 8;
        int each = 500;
        try (WriteAheadLog log = new WriteAheadLog(dir, 1, applied::add)) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread w = new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        Object attachment = new Object();
                        long n = log.append(new byte[] {1}, attachment);
                        byNumber.put(n, attachment);
                        log.awaitApplied(n);
                    }
                });
                w.start();
                writers.add(w);
            }
            // the checkpointer's rotations lead flushes of their own, often of nothing, while the writers append
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread rotator = new Thread(() -> {
                while (writing.get()) {
                    log.rotate();
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            });
            rotator.start();
            for (Thread w : writers) {
                w.join();
            }
            writing.set(false);
            rotator.join();
            assertNull(log.failure());
        }
        assertEquals(threads * each, applied.size());
        for (int i = 0; i < applied.size(); i++) {
            assertEquals(byNumber.get((long) i + 1), applied.get(i), "applied in log order");
        }
        assertEquals(threads * each, replay(0).size());
    }

    private List<String> replay(long after) {
        List<String> out = new ArrayList<>();
        WriteAheadLog.replay(dir, after, payload -> {
            byte[] b = new byte[payload.remaining()];
            payload.get(b);
            out.add(new String(b, StandardCharsets.UTF_8));
        });
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
