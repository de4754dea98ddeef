package com.onepoint.engine.store;

import com.onepoint.engine.stream.StreamRecord;
import com.onepoint.engine.value.Value;
import org.h2.mvstore.WriteBuffer;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A stream record's keys, new image and old image as one byte array, in the layout the store writes them to its
 * file (so a record goes to disk as it is held in memory).
 */
public final class ImageCodec {
    /**
     * One buffer per writing thread, cleared for each record: a WriteBuffer that outgrows its first size grows by at
     * least 1 MB, so a fresh one per record allocated a megabyte for nearly every write.
     */
    private static final ThreadLocal<WriteBuffer> BUFFER = ThreadLocal.withInitial(() -> new WriteBuffer(16 * 1024));

    private ImageCodec() {
    }

    public static byte[] encode(Map<String, Value> keys, Map<String, Value> newImage, Map<String, Value> oldImage) {
        WriteBuffer buff = BUFFER.get().clear();
        Codec.writeItem(buff, keys);
        Codec.writeOptionalItem(buff, newImage);
        Codec.writeOptionalItem(buff, oldImage);
        ByteBuffer b = buff.getBuffer();
        byte[] bytes = new byte[b.position()];
        b.flip();
        b.get(bytes);
        return bytes;
    }

    public static StreamRecord.Images decode(byte[] images) {
        ByteBuffer b = ByteBuffer.wrap(images);
        return new StreamRecord.Images(Codec.readItem(b), Codec.readOptionalItem(b), Codec.readOptionalItem(b));
    }

    /** Reads encoded images from {@code buff} and returns their bytes, leaving {@code buff} after them. */
    static byte[] read(ByteBuffer buff) {
        int start = buff.position();
        Codec.readItem(buff);
        Codec.readOptionalItem(buff);
        Codec.readOptionalItem(buff);
        byte[] bytes = new byte[buff.position() - start];
        buff.position(start);
        buff.get(bytes);
        return bytes;
    }
}
