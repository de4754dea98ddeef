package com.onepoint.engine.expr;

import com.onepoint.engine.DynamoException;
import com.onepoint.engine.value.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed UpdateExpression: immutable and thread-safe. Every operand reads the item as it was before the update
 * (so {@code SET a = b, b = a} swaps), and every list index names an element of the original list: writes go in
 * ascending path order (several SETs past a list's end append in index order, as DynamoDB documents), removals
 * last and from the highest index down (so {@code REMOVE l[0], l[2]} drops the original first and third).
 */
public final class Update {
    enum Kind { SET, REMOVE, ADD, DELETE }

    /** One action; {@code value} is set for SET, {@code operand} for ADD and DELETE. */
    record Action(Kind kind, Path path, SetValue value, Value operand) {
    }

    private record Write(Action action, int setIndex) {
    }

    /** Returned by an edit to leave the target untouched (identity-compared, never stored). */
    private static final Value UNCHANGED = new Value.Null();

    private interface Edit {
        /** The new value for the target (null removes it, UNCHANGED keeps it); {@code existing} null when absent. */
        Value apply(Value existing);
    }

    private final List<Path> paths;
    private final Action[] sets;
    private final Write[] writes;
    private final Path[] removes;

    Update(List<Action> actions) {
        List<Path> all = new ArrayList<>();
        List<Action> setList = new ArrayList<>();
        List<Write> writeList = new ArrayList<>();
        List<Path> removeList = new ArrayList<>();
        for (Action a : actions) {
            all.add(a.path());
            if (a.kind() == Kind.SET) {
                writeList.add(new Write(a, setList.size()));
                setList.add(a);
            } else if (a.kind() == Kind.REMOVE) {
                removeList.add(a.path());
            } else {
                writeList.add(new Write(a, -1));
            }
        }
        writeList.sort(Comparator.comparing(w -> w.action().path()));
        removeList.sort(Comparator.reverseOrder());
        this.paths = Collections.unmodifiableList(all);
        this.sets = setList.toArray(new Action[0]);
        this.writes = writeList.toArray(new Write[0]);
        this.removes = removeList.toArray(new Path[0]);
    }

    /** Every path this update writes or removes, in the order written. */
    public List<Path> paths() {
        return paths;
    }

    /**
     * Applies SET/REMOVE/ADD/DELETE to a copy of {@code item} (empty for a new item) and returns the copy; the
     * argument is never changed. Throws DynamoDB's ValidationException for run-time errors (a missing operand, a
     * wrong type, a path through something that isn't there).
     */
    public Map<String, Value> apply(Map<String, Value> item) {
        Value[] setValues = new Value[sets.length];
        for (int i = 0; i < sets.length; i++) {
            setValues[i] = sets[i].value().eval(item);
        }
        List<Path> removals = new ArrayList<>(removes.length);
        for (Path p : removes) {
            // judged on the original item: an index made valid by an append in this same update is not removed
            if (existingForRemove(item, p) != null) {
                removals.add(p);
            }
        }
        LinkedHashMap<String, Value> out = new LinkedHashMap<>(item);
        boolean emptiedSets = false;
        for (Write w : writes) {
            Action a = w.action();
            switch (a.kind()) {
                case SET: {
                    Value v = setValues[w.setIndex()];
                    edit(out, a.path(), existing -> v);
                    break;
                }
                case ADD:
                    edit(out, a.path(), existing -> add(existing, a.operand()));
                    break;
                default: {
                    Value existing = a.path().get(out);
                    Value remaining = existing == null ? null : delete(existing, a.operand());
                    if (remaining == null) {
                        edit(out, a.path(), x -> UNCHANGED); // still rejects a path through a missing parent
                    } else if (isEmptySet(remaining)) {
                        removals.add(a.path()); // DynamoDB has no empty sets: the attribute goes
                        emptiedSets = true;
                    } else {
                        edit(out, a.path(), x -> remaining);
                    }
                    break;
                }
            }
        }
        if (emptiedSets) {
            removals.sort(Comparator.reverseOrder());
        }
        for (Path p : removals) {
            edit(out, p, existing -> existing == null ? UNCHANGED : null);
        }
        return out;
    }

    private static Value add(Value existing, Value operand) {
        if (existing == null) {
            return operand;
        }
        if (existing instanceof Value.N a && operand instanceof Value.N b) {
            return Value.N.of(a.decimal().add(b.decimal()));
        }
        if (existing instanceof Value.SS a && operand instanceof Value.SS b) {
            return new Value.SS(union(a.values(), b.values()));
        }
        if (existing instanceof Value.NS a && operand instanceof Value.NS b) {
            return new Value.NS(union(a.values(), b.values()));
        }
        if (existing instanceof Value.BS a && operand instanceof Value.BS b) {
            return new Value.BS(union(a.values(), b.values()));
        }
        throw SetValue.incorrectType();
    }

    private static Value delete(Value existing, Value operand) {
        if (existing instanceof Value.SS a && operand instanceof Value.SS b) {
            return new Value.SS(difference(a.values(), b.values()));
        }
        if (existing instanceof Value.NS a && operand instanceof Value.NS b) {
            return new Value.NS(difference(a.values(), b.values()));
        }
        if (existing instanceof Value.BS a && operand instanceof Value.BS b) {
            return new Value.BS(difference(a.values(), b.values()));
        }
        throw SetValue.incorrectType();
    }

    private static boolean isEmptySet(Value v) {
        return v instanceof Value.SS ss ? ss.values().isEmpty()
                : v instanceof Value.NS ns ? ns.values().isEmpty()
                : v instanceof Value.BS bs && bs.values().isEmpty();
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return out;
    }

    private static <T> Set<T> difference(Set<T> a, Set<T> b) {
        Set<T> out = new LinkedHashSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static DynamoException invalidPath() {
        return DynamoException.validation("The document path provided in the update expression is invalid for update");
    }

    /** What REMOVE would remove, or null when nothing is there; throws when the path runs through a non-container. */
    private static Value existingForRemove(Map<String, Value> item, Path path) {
        Value v = item.get(path.topName());
        for (int i = 1; i < path.size(); i++) {
            Object element = path.element(i);
            if (v == null || (element instanceof String ? !(v instanceof Value.M) : !(v instanceof Value.L))) {
                throw invalidPath();
            }
            v = Path.step(v, element);
        }
        return v;
    }

    /** Rewrites the target of {@code path} in {@code out}, copying each container on the way (values are immutable). */
    private static void edit(Map<String, Value> out, Path path, Edit edit) {
        String top = path.topName();
        Value current = out.get(top);
        Value replacement;
        if (path.size() == 1) {
            replacement = edit.apply(current);
        } else {
            if (current == null) {
                throw invalidPath();
            }
            replacement = editIn(current, path, 1, edit);
        }
        if (replacement == UNCHANGED) {
            return;
        }
        if (replacement == null) {
            out.remove(top);
        } else {
            out.put(top, replacement);
        }
    }

    private static Value editIn(Value container, Path path, int i, Edit edit) {
        Object element = path.element(i);
        boolean last = i == path.size() - 1;
        if (element instanceof String key) {
            if (!(container instanceof Value.M m)) {
                throw invalidPath();
            }
            Value child = m.values().get(key);
            Value replacement = last ? edit.apply(child) : editIn(requireChild(child), path, i + 1, edit);
            if (replacement == UNCHANGED) {
                return UNCHANGED;
            }
            Map<String, Value> copy = new LinkedHashMap<>(m.values());
            if (replacement == null) {
                copy.remove(key);
            } else {
                copy.put(key, replacement);
            }
            return new Value.M(copy);
        }
        if (!(container instanceof Value.L l)) {
            throw invalidPath();
        }
        int index = (Integer) element;
        List<Value> values = l.values();
        Value child = index < values.size() ? values.get(index) : null;
        Value replacement = last ? edit.apply(child) : editIn(requireChild(child), path, i + 1, edit);
        if (replacement == UNCHANGED) {
            return UNCHANGED;
        }
        List<Value> copy = new ArrayList<>(values);
        if (replacement == null) {
            if (index < copy.size()) {
                copy.remove(index);
            }
        } else if (index < copy.size()) {
            copy.set(index, replacement);
        } else {
            copy.add(replacement); // past the end: DynamoDB appends
        }
        return new Value.L(copy);
    }

    private static Value requireChild(Value child) {
        if (child == null) {
            throw invalidPath();
        }
        return child;
    }
}
