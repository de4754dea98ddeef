package com.onepoint.engine.store;

import com.onepoint.engine.stream.StreamRecord;
import com.onepoint.engine.value.Value;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How keys, items and stream records are written into MVStore pages. MVStore keeps the Java objects in memory and
 * calls these only to write a page to the file or read it back, so the in-memory engine never serialises.
 */
final class Codec {
    private Codec() {
    }

    static final class KeyType extends BasicDataType<Key> {
        static final KeyType INSTANCE = new KeyType();

        @Override
        public int compare(Key a, Key b) {
            return a.compareTo(b);
        }

        @Override
        public int getMemory(Key key) {
            int m = 24;
            for (Value v : key.parts()) {
                m += 16 + memory(v);
            }
            return m;
        }

        @Override
        public void write(WriteBuffer buff, Key key) {
            buff.putVarInt(key.size());
            for (Value v : key.parts()) {
                writeValue(buff, v);
            }
        }

        @Override
        public Key read(ByteBuffer buff) {
            int n = DataUtils.readVarInt(buff);
            List<Value> parts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                parts.add(readValue(buff));
            }
            return new Key(parts);
        }

        @Override
        public Key[] createStorage(int size) {
            return new Key[size];
        }
    }

    @SuppressWarnings("unchecked")
    static final class ItemType extends BasicDataType<Map<String, Value>> {
        static final ItemType INSTANCE = new ItemType();

        @Override
        public int getMemory(Map<String, Value> item) {
            int m = 48;
            for (Map.Entry<String, Value> e : item.entrySet()) {
                m += 40 + 2 * e.getKey().length() + memory(e.getValue());
            }
            return m;
        }

        @Override
        public void write(WriteBuffer buff, Map<String, Value> item) {
            writeItem(buff, item);
        }

        @Override
        public Map<String, Value> read(ByteBuffer buff) {
            return readItem(buff);
        }

        @Override
        public Map<String, Value>[] createStorage(int size) {
            return new Map[size];
        }
    }

    static final class RecordType extends BasicDataType<StreamRecord> {
        static final RecordType INSTANCE = new RecordType();

        @Override
        public int getMemory(StreamRecord r) {
            return 96 + 16 + r.images().length;
        }

        @Override
        public void write(WriteBuffer buff, StreamRecord r) {
            buff.putVarLong(r.sequence());
            buff.put((byte) r.eventName().ordinal());
            buff.putVarLong(r.createdMillis());
            buff.put((byte) (r.byTtl() ? 1 : 0));
            buff.put(r.images());
            writeString(buff, r.eventId());
        }

        @Override
        public StreamRecord read(ByteBuffer buff) {
            long seq = DataUtils.readVarLong(buff);
            StreamRecord.EventName name = StreamRecord.EventName.values()[buff.get()];
            long created = DataUtils.readVarLong(buff);
            boolean ttl = buff.get() == 1;
            byte[] images = ImageCodec.read(buff);
            String eventId = readString(buff);
            return new StreamRecord(seq, eventId, name, created, images, ttl);
        }

        @Override
        public StreamRecord[] createStorage(int size) {
            return new StreamRecord[size];
        }
    }

    static void writeOptionalItem(WriteBuffer buff, Map<String, Value> item) {
        buff.put((byte) (item == null ? 0 : 1));
        if (item != null) {
            writeItem(buff, item);
        }
    }

    static Map<String, Value> readOptionalItem(ByteBuffer buff) {
        return buff.get() == 0 ? null : readItem(buff);
    }

    static void writeItem(WriteBuffer buff, Map<String, Value> item) {
        buff.putVarInt(item.size());
        for (Map.Entry<String, Value> e : item.entrySet()) {
            writeString(buff, e.getKey());
            writeValue(buff, e.getValue());
        }
    }

    static Map<String, Value> readItem(ByteBuffer buff) {
        int n = DataUtils.readVarInt(buff);
        Map<String, Value> item = new LinkedHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            String name = readString(buff);
            item.put(name, readValue(buff));
        }
        return com.onepoint.engine.value.CompactItem.of(java.util.Collections.unmodifiableMap(item));
    }

    static void writeValue(WriteBuffer buff, Value v) {
        buff.put((byte) v.type().ordinal());
        if (v instanceof Value.S s) {
            writeString(buff, s.value());
        } else if (v instanceof Value.N n) {
            writeString(buff, n.text());
        } else if (v instanceof Value.B b) {
            buff.putVarInt(b.bytes().length).put(b.bytes());
        } else if (v instanceof Value.Bool b) {
            buff.put((byte) (b.value() ? 1 : 0));
        } else if (v instanceof Value.L l) {
            buff.putVarInt(l.values().size());
            l.values().forEach(x -> writeValue(buff, x));
        } else if (v instanceof Value.M m) {
            writeItem(buff, m.values());
        } else if (v instanceof Value.SS ss) {
            buff.putVarInt(ss.values().size());
            ss.values().forEach(x -> writeString(buff, x));
        } else if (v instanceof Value.NS ns) {
            buff.putVarInt(ns.values().size());
            ns.values().forEach(x -> writeString(buff, x));
        } else if (v instanceof Value.BS bs) {
            buff.putVarInt(bs.values().size());
            bs.values().forEach(x -> buff.putVarInt(x.bytes().length).put(x.bytes()));
        }
    }

    static Value readValue(ByteBuffer buff) {
        com.onepoint.engine.value.Type type = com.onepoint.engine.value.Type.values()[buff.get()];
        switch (type) {
            case S:
                return new Value.S(readString(buff));
            case N:
                return new Value.N(readString(buff));
            case B:
                return new Value.B(readBytes(buff));
            case BOOL:
                return buff.get() == 1 ? Value.Bool.TRUE : Value.Bool.FALSE;
            case NULL:
                return Value.Null.INSTANCE;
            case L: {
                int n = DataUtils.readVarInt(buff);
                List<Value> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readValue(buff));
                }
                return new Value.L(list);
            }
            case M:
                return new Value.M(readItem(buff));
            case SS: {
                int n = DataUtils.readVarInt(buff);
                Set<String> set = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    set.add(readString(buff));
                }
                return new Value.SS(set);
            }
            case NS: {
                int n = DataUtils.readVarInt(buff);
                Set<String> set = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    set.add(readString(buff));
                }
                return new Value.NS(set);
            }
            case BS: {
                int n = DataUtils.readVarInt(buff);
                Set<Value.B> set = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    set.add(new Value.B(readBytes(buff)));
                }
                return new Value.BS(set);
            }
            default:
                throw new IllegalStateException("unknown type " + type);
        }
    }

    private static void writeString(WriteBuffer buff, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        buff.putVarInt(bytes.length).put(bytes);
    }

    private static String readString(ByteBuffer buff) {
        return new String(readBytes(buff), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(ByteBuffer buff) {
        byte[] bytes = new byte[DataUtils.readVarInt(buff)];
        buff.get(bytes);
        return bytes;
    }

    private static int memory(Value v) {
        return (int) Math.min(Integer.MAX_VALUE / 4, 32 + 2 * com.onepoint.engine.value.ItemSize.of(v));
    }
}
