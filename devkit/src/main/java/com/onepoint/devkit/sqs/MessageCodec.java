package com.onepoint.devkit.sqs;

import org.elasticmq.BinaryMessageAttribute;
import org.elasticmq.DeduplicationId;
import org.elasticmq.MessageAttribute;
import org.elasticmq.MessageContent;
import org.elasticmq.NeverReceived$;
import org.elasticmq.NumberMessageAttribute;
import org.elasticmq.OnDateTimeReceived;
import org.elasticmq.Received;
import org.elasticmq.StringMessageAttribute;
import org.elasticmq.TracingId;
import org.elasticmq.actor.queue.InternalMessage;
import scala.Option;
import scala.collection.mutable.ArrayBuffer;
import scala.jdk.javaapi.CollectionConverters;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ElasticMQ's {@link InternalMessage}, every field of it, to bytes and back. Text is always UTF-8 (not the platform
 * charset, which is US-ASCII for Java 17 under LANG=C), the FIFO flag and order index are kept, and an in-flight
 * message keeps its receipts, next delivery time and receive count, so that after a restart it becomes visible when
 * its visibility timeout ends, its last receipt handle still deletes it, and the redrive count goes on from there.
 */
final class MessageCodec {
    private static final int VERSION = 1;
    private static final byte STRING = 0;
    private static final byte NUMBER = 1;
    private static final byte BINARY = 2;

    private MessageCodec() {
    }

    /**
     * The message's current state. ElasticMQ hands the listener the live, mutable object, which its queue actor may
     * change (a receive) while this reads it; a read that trips over such a change throws and is simply repeated.
     */
    static byte[] encode(InternalMessage m) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return encodeOnce(m);
            } catch (RuntimeException concurrentlyModified) {
                last = concurrentlyModified;
                Thread.onSpinWait();
            }
        }
        throw last;
    }

    private static byte[] encodeOnce(InternalMessage m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + m.content().value().length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            List<String> receipts = new ArrayList<>(CollectionConverters.asJava(m.deliveryReceipts()));
            out.writeInt(receipts.size());
            for (String r : receipts) {
                if (r == null) {
                    throw new IllegalStateException("receipt read while being appended"); // read again
                }
                writeString(out, r);
            }
            out.writeLong(m.nextDelivery());
            writeString(out, m.content().value());
            Map<String, MessageAttribute> attributes = CollectionConverters.asJava(m.messageAttributes());
            out.writeInt(attributes.size());
            for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
                writeString(out, e.getKey());
                MessageAttribute a = e.getValue();
                if (a instanceof StringMessageAttribute s) {
                    out.writeByte(STRING);
                    writeString(out, s.stringValue());
                    writeString(out, orNull(s.customType()));
                } else if (a instanceof NumberMessageAttribute n) {
                    out.writeByte(NUMBER);
                    writeString(out, n.stringValue());
                    writeString(out, orNull(n.customType()));
                } else if (a instanceof BinaryMessageAttribute b) {
                    out.writeByte(BINARY);
                    writeString(out, b.asBase64());
                    writeString(out, orNull(b.customType()));
                } else {
                    throw new IllegalStateException("unknown message attribute type " + a.getClass().getName());
                }
            }
            writeString(out, m.created().toString());
            out.writeInt(m.orderIndex());
            Received first = m.firstReceive();
            writeString(out, first instanceof OnDateTimeReceived r ? r.when().toString() : null);
            out.writeInt(m.receiveCount());
            out.writeBoolean(m.isFifo());
            writeString(out, orNull(m.messageGroupId()));
            Option<DeduplicationId> dedup = m.messageDeduplicationId();
            writeString(out, dedup.isDefined() ? dedup.get().id() : null);
            Option<TracingId> tracing = m.tracingId();
            writeString(out, tracing.isDefined() ? tracing.get().id() : null);
            writeString(out, orNull(m.sequenceNumber()));
            writeString(out, orNull(m.deadLetterSourceQueueName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    static InternalMessage decode(String id, byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalStateException("message " + id + ": unknown encoding version " + version);
            }
            int receiptCount = in.readInt();
            ArrayBuffer<String> receipts = new ArrayBuffer<>(Math.max(1, receiptCount));
            for (int i = 0; i < receiptCount; i++) {
                receipts.addOne(readString(in));
            }
            long nextDelivery = in.readLong();
            MessageContent content = new MessageContent(readString(in));
            int attributeCount = in.readInt();
            Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
            for (int i = 0; i < attributeCount; i++) {
                String name = readString(in);
                byte kind = in.readByte();
                String value = readString(in);
                Option<String> customType = Option.apply(readString(in));
                MessageAttribute a;
                if (kind == STRING) {
                    a = new StringMessageAttribute(value, customType);
                } else if (kind == NUMBER) {
                    a = new NumberMessageAttribute(value, customType);
                } else if (kind == BINARY) {
                    a = BinaryMessageAttribute.fromBase64(value, customType);
                } else {
                    throw new IllegalStateException("message " + id + ": unknown attribute kind " + kind);
                }
                attributes.put(name, a);
            }
            OffsetDateTime created = OffsetDateTime.parse(readString(in));
            int orderIndex = in.readInt();
            String firstReceive = readString(in);
            Received received = firstReceive == null ? NeverReceived$.MODULE$
                    : new OnDateTimeReceived(OffsetDateTime.parse(firstReceive));
            int receiveCount = in.readInt();
            boolean fifo = in.readBoolean();
            Option<String> group = Option.apply(readString(in));
            String dedup = readString(in);
            String tracing = readString(in);
            Option<String> sequence = Option.apply(readString(in));
            Option<String> deadLetterSource = Option.apply(readString(in));
            return new InternalMessage(id, receipts, nextDelivery, content, immutable(attributes), created, orderIndex,
                    received, receiveCount, fifo, group,
                    dedup == null ? Option.empty() : Option.apply(new DeduplicationId(dedup)),
                    tracing == null ? Option.empty() : Option.apply(new TracingId(tracing)),
                    sequence, deadLetterSource);
        } catch (IOException e) {
            throw new IllegalStateException("message " + id + ": truncated state", e);
        }
    }

    /** When the message is next visible, epoch milliseconds, read without decoding the rest. */
    static long nextDelivery(byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            in.readInt();
            int receiptCount = in.readInt();
            for (int i = 0; i < receiptCount; i++) {
                in.skipNBytes(in.readInt());
            }
            return in.readLong();
        } catch (IOException e) {
            throw new IllegalStateException("truncated message state", e);
        }
    }

    private static scala.collection.immutable.Map<String, MessageAttribute> immutable(Map<String, MessageAttribute> m) {
        return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(m));
    }

    private static String orNull(Option<String> o) {
        return o.isDefined() ? o.get() : null;
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException();
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
