package com.onepoint.engine.stream;

import com.onepoint.engine.store.Changes;
import com.onepoint.engine.store.ImageCodec;
import com.onepoint.engine.value.Value;
import org.h2.mvstore.MVMap;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A table's stream: one shard whose records are numbered in commit order. A record's number is taken when its write
 * is prepared, and the record is visible once every record up to it has been applied; a durable write applies only
 * after its log record is fsynced, so a reader sees a change only once it is durable, as on DynamoDB.
 */
public final class TableStream {
    /** DynamoDB keeps stream records for 24 hours. */
    public static final long RETENTION_MILLIS = 24L * 3600 * 1000;

    private final String arn;
    private final String label;
    private final String viewType;
    private final String shardId;
    private final MVMap<Long, StreamRecord> records;
    private long last;
    private volatile long visible;
    /** Numbers taken by writes not yet applied; {@link #visible} stays below the first. */
    private final java.util.TreeSet<Long> pending = new java.util.TreeSet<>();

    public TableStream(String arn, String label, String viewType, String shardId, MVMap<Long, StreamRecord> records) {
        this.arn = arn;
        this.label = label;
        this.viewType = viewType;
        this.shardId = shardId;
        this.records = records;
        Long lastKey = records.lastKey();
        this.last = lastKey == null ? 0 : lastKey;
        this.visible = last;
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

    /** Adds the change of one item to {@code changes}; the caller holds that item's lock, which keeps per-item order. */
    public void append(Changes changes, StreamRecord.EventName name, long nowMillis, Map<String, Value> keys,
                       Map<String, Value> newImage, Map<String, Value> oldImage, boolean byTtl) {
        // encoded before taking the stream's lock, which every writer of the table shares
        byte[] images = ImageCodec.encode(keys, newImage, oldImage);
        String eventId = eventId();
        long seq;
        synchronized (this) {
            seq = ++last;
            pending.add(seq);
        }
        changes.put(records, seq, new StreamRecord(seq, eventId, name, nowMillis, images, byTtl));
        changes.afterApply(() -> applied(seq));
    }

    private synchronized void applied(long seq) {
        pending.remove(seq);
        visible = pending.isEmpty() ? last : pending.first() - 1;
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

    /** Adds the removal of records older than the retention to {@code changes} (at most {@code max}); returns how many. */
    public int trim(Changes changes, long nowMillis, int max) {
        int trimmed = 0;
        long horizon = nowMillis - RETENTION_MILLIS;
        long upTo = visible;
        Iterator<Long> keys = records.keyIterator(null);
        while (keys.hasNext() && trimmed < max) {
            Long k = keys.next();
            if (k >= upTo) { // the newest record stays: it carries the numbering across a restart
                break;
            }
            StreamRecord r = records.get(k);
            if (r == null || r.createdMillis() >= horizon) {
                break;
            }
            changes.remove(records, k);
            trimmed++;
        }
        return trimmed;
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
