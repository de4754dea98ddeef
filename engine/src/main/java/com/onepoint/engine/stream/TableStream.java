package com.onepoint.engine.stream;

import com.onepoint.engine.store.ImageCodec;
import com.onepoint.engine.value.Value;
import org.h2.mvstore.MVMap;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A table's stream: one shard whose records are numbered in commit order. Appends are serialised on this object
 * (a few microseconds), so the numbers readers see have no gaps to skip past; in a durable engine a record becomes
 * visible only once the version holding it is fsynced, as DynamoDB shows a change only after it is durable.
 */
public final class TableStream {
    /** DynamoDB keeps stream records for 24 hours. */
    public static final long RETENTION_MILLIS = 24L * 3600 * 1000;

    private final String arn;
    private final String label;
    private final String viewType;
    private final String shardId;
    private final MVMap<Long, StreamRecord> records;
    private final boolean durable;
    private long last;
    private volatile long visible;
    private long cut;

    public TableStream(String arn, String label, String viewType, String shardId, MVMap<Long, StreamRecord> records,
                       boolean durable) {
        this.arn = arn;
        this.label = label;
        this.viewType = viewType;
        this.shardId = shardId;
        this.records = records;
        this.durable = durable;
        Long lastKey = records.lastKey();
        this.last = lastKey == null ? 0 : lastKey;
        this.visible = last;
        this.cut = last;
    }

    public String arn() {
        return arn;
    }

    public String label() {
        return label;
    }

    public String viewType() {
        return viewType;
    }

    public String shardId() {
        return shardId;
    }

    /** Appends the change of one item; the caller holds that item's lock, which keeps per-item order. */
    public void append(StreamRecord.EventName name, long nowMillis, Map<String, Value> keys,
                       Map<String, Value> newImage, Map<String, Value> oldImage, boolean byTtl) {
        // encoded before taking the stream's lock, which every writer of the table shares
        byte[] images = ImageCodec.encode(keys, newImage, oldImage);
        String eventId = eventId();
        synchronized (this) {
            long seq = ++last;
            records.put(seq, new StreamRecord(seq, eventId, name, nowMillis, images, byTtl));
            if (!durable) {
                visible = seq;
            }
        }
    }

    /** Called with every writer excluded, just before the store cuts a version. */
    public synchronized void beforeCut() {
        cut = last;
    }

    /** Called once the version cut last is on disk. */
    public synchronized void afterSync() {
        visible = cut;
    }

    /** The first sequence number still held (records older than 24 hours are trimmed), or last + 1 if none. */
    public long first() {
        Long k = records.firstKey();
        return k == null ? visible + 1 : k;
    }

    public long lastVisible() {
        return visible;
    }

    /** Up to {@code limit} visible records from sequence number {@code from} on. */
    public List<StreamRecord> read(long from, int limit) {
        List<StreamRecord> out = new ArrayList<>(Math.min(limit, 128));
        long upTo = visible;
        if (from > upTo) {
            return out;
        }
        Iterator<Long> keys = records.keyIterator(from);
        while (keys.hasNext() && out.size() < limit) {
            Long k = keys.next();
            if (k > upTo) {
                break;
            }
            StreamRecord r = records.get(k);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    public long size() {
        return records.sizeAsLong();
    }

    /** Drops records older than the retention; returns how many. */
    public int trim(long nowMillis) {
        int trimmed = 0;
        long horizon = nowMillis - RETENTION_MILLIS;
        while (true) {
            Long k = records.firstKey();
            if (k == null || k >= visible) { // the newest record stays: it carries the numbering across a restart
                return trimmed;
            }
            StreamRecord r = records.get(k);
            if (r == null || r.createdMillis() >= horizon) {
                return trimmed;
            }
            records.remove(k);
            trimmed++;
        }
    }

    public static String sequenceNumber(long seq) {
        return String.format("%021d", seq);
    }

    public static long parseSequenceNumber(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw com.onepoint.engine.DynamoException.validation("Invalid SequenceNumber: " + text);
        }
    }

    /** 32 random hex digits, as DynamoDB's eventID looks (String.format costs more than the rest of an append). */
    private static String eventId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] hex = new char[32];
        long bits = r.nextLong();
        for (int i = 0; i < 32; i++) {
            if (i == 16) {
                bits = r.nextLong();
            }
            hex[i] = Character.forDigit((int) (bits & 0xF), 16);
            bits >>>= 4;
        }
        return new String(hex);
    }
}
