package com.onepoint.engine.value;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable item on two arrays, in insertion order, for the items a table holds. A LinkedHashMap costs an entry
 * object per attribute plus its table and views; an engine keeps every item in memory, and each young collection
 * that promotes new items copies all of those objects. Lookups scan the names, so only small items are compacted.
 */
public final class CompactItem extends AbstractMap<String, Value> {
    /** Items with more attributes stay as they are: a scan of a long name list would cost more than it saves. */
    static final int MAX_ATTRIBUTES = 24;

    private final String[] names;
    private final Value[] values;

    private CompactItem(String[] names, Value[] values) {
        this.names = names;
        this.values = values;
    }

    /** The item as a CompactItem when it is small enough (the same instance if it already is one), else as given. */
    public static Map<String, Value> of(Map<String, Value> item) {
        if (item == null || item instanceof CompactItem || item.size() > MAX_ATTRIBUTES) {
            return item;
        }
        String[] names = new String[item.size()];
        Value[] values = new Value[item.size()];
        int i = 0;
        for (Map.Entry<String, Value> e : item.entrySet()) {
            names[i] = e.getKey();
            values[i] = e.getValue();
            i++;
        }
        return new CompactItem(names, values);
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    @Override
    public Value get(Object name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    private int indexOf(Object name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, Value>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Value>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    public Entry<String, Value> next() {
                        if (next >= names.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Value> e = new SimpleImmutableEntry<>(names[next], values[next]);
                        next++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }
}
