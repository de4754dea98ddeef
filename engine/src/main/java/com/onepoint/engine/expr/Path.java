package com.onepoint.engine.expr;

import com.onepoint.engine.value.Value;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A document path: a top-level attribute name, then map keys ({@code .b}) and list indexes ({@code [0]}), with
 * expression attribute names already resolved. Immutable.
 */
public final class Path implements Comparable<Path> {
    /** String for a map key, Integer for a list index; the first is always a String. */
    private final Object[] elements;
    private final List<Object> view;

    private Path(Object[] elements) {
        this.elements = elements;
        this.view = Collections.unmodifiableList(Arrays.asList(elements));
    }

    public static Path of(String topLevelName) {
        return new Path(new Object[] {topLevelName});
    }

    /** A path from its elements: a String first, then Strings (map keys) and non-negative Integers (list indexes). */
    public static Path of(List<?> elements) {
        if (elements.isEmpty() || !(elements.get(0) instanceof String)) {
            throw new IllegalArgumentException("a path starts with a top-level attribute name: " + elements);
        }
        Object[] copy = elements.toArray();
        for (Object e : copy) {
            if (!(e instanceof String) && !(e instanceof Integer && (Integer) e >= 0)) {
                throw new IllegalArgumentException("path elements are names or list indexes: " + elements);
            }
        }
        return new Path(copy);
    }

    public String topName() {
        return (String) elements[0];
    }

    public List<Object> elements() {
        return view;
    }

    public int size() {
        return elements.length;
    }

    Object element(int i) {
        return elements[i];
    }

    /** The value at this path, or null when any step is missing or has the wrong type (a key into a list...). */
    public Value get(Map<String, Value> item) {
        Value v = item.get((String) elements[0]);
        for (int i = 1; i < elements.length && v != null; i++) {
            v = step(v, elements[i]);
        }
        return v;
    }

    static Value step(Value container, Object element) {
        if (element instanceof String) {
            return container instanceof Value.M m ? m.values().get(element) : null;
        }
        if (container instanceof Value.L l) {
            int index = (Integer) element;
            List<Value> values = l.values();
            return index < values.size() ? values.get(index) : null;
        }
        return null;
    }

    /** DynamoDB's rendering in its messages: {@code [a, b, [0]]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (elements[i] instanceof Integer) {
                sb.append('[').append(elements[i]).append(']');
            } else {
                sb.append(elements[i]);
            }
        }
        return sb.append(']').toString();
    }

    /** Element by element; a map key sorts before a list index at the same depth, a prefix before its extensions. */
    @Override
    public int compareTo(Path o) {
        int n = Math.min(elements.length, o.elements.length);
        for (int i = 0; i < n; i++) {
            Object a = elements[i];
            Object b = o.elements[i];
            int c;
            if (a instanceof String sa) {
                c = b instanceof String sb ? sa.compareTo(sb) : -1;
            } else {
                c = b instanceof Integer ib ? Integer.compare((Integer) a, ib) : 1;
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(elements.length, o.elements.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Path p && Arrays.equals(elements, p.elements);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(elements);
    }
}
