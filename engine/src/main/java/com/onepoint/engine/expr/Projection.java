package com.onepoint.engine.expr;

import com.onepoint.engine.value.Value;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ProjectionExpression (or any list of paths): keeps only those paths of an item. Nested paths keep their
 * nesting ({@code a.b} gives {@code {a: {b: ...}}}); list elements picked by index keep their relative order and
 * close up ({@code l[1], l[3]} gives a two-element list), as DynamoDB returns them. Immutable, thread-safe.
 */
public final class Projection {
    private final List<Path> paths;
    private final boolean topLevelOnly;

    private Projection(List<Path> paths) {
        this.paths = List.copyOf(paths);
        this.topLevelOnly = this.paths.stream().allMatch(p -> p.size() == 1);
    }

    public static Projection of(List<Path> paths) {
        return new Projection(paths);
    }

    public List<Path> paths() {
        return paths;
    }

    public Map<String, Value> apply(Map<String, Value> item) {
        Map<String, Value> out = new LinkedHashMap<>();
        if (topLevelOnly) {
            for (Path p : paths) {
                Value v = item.get(p.topName());
                if (v != null) {
                    out.put(p.topName(), v);
                }
            }
            return out;
        }
        // a tree of Value (a whole picked value) and Branch (a container rebuilt from picked parts)
        Map<String, Object> root = new LinkedHashMap<>();
        for (Path p : paths) {
            Value v = p.get(item);
            if (v != null) {
                place(root, p, v);
            }
        }
        for (Map.Entry<String, Object> e : root.entrySet()) {
            out.put(e.getKey(), build(e.getValue()));
        }
        return out;
    }

    /** A rebuilt container: map keys in first-picked order, or list indexes in ascending order. */
    private static final class Branch {
        final boolean list;
        final Map<Object, Object> children;

        Branch(boolean list) {
            this.list = list;
            this.children = list ? new TreeMap<>() : new LinkedHashMap<>();
        }
    }

    private static void place(Map<String, Object> root, Path path, Value v) {
        if (path.size() == 1) {
            root.put(path.topName(), v); // a whole attribute covers any parts of it picked too
            return;
        }
        Object node = root.get(path.topName());
        if (node instanceof Value) {
            return;
        }
        if (node == null) {
            node = new Branch(path.element(1) instanceof Integer);
            root.put(path.topName(), node);
        }
        Branch branch = (Branch) node;
        for (int i = 1; i < path.size(); i++) {
            Object element = path.element(i);
            if (branch.list != element instanceof Integer) {
                return; // map key into a list or index into a map: p.get() would have found nothing
            }
            if (i == path.size() - 1) {
                branch.children.put(element, v);
                return;
            }
            Object child = branch.children.get(element);
            if (child instanceof Value) {
                return;
            }
            if (child == null) {
                child = new Branch(path.element(i + 1) instanceof Integer);
                branch.children.put(element, child);
            }
            branch = (Branch) child;
        }
    }

    private static Value build(Object node) {
        if (node instanceof Value v) {
            return v;
        }
        Branch b = (Branch) node;
        if (b.list) {
            List<Value> values = new ArrayList<>(b.children.size());
            for (Object child : b.children.values()) {
                values.add(build(child));
            }
            return new Value.L(values);
        }
        Map<String, Value> values = new LinkedHashMap<>();
        Iterator<Map.Entry<Object, Object>> it = b.children.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Object, Object> e = it.next();
            values.put((String) e.getKey(), build(e.getValue()));
        }
        return new Value.M(values);
    }
}
