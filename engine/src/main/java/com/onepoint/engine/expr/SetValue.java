package com.onepoint.engine.expr;

import com.onepoint.engine.DynamoException;
import com.onepoint.engine.value.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The right-hand side of a SET action, evaluated against the item as it was before the update. */
interface SetValue {
    Value eval(Map<String, Value> item);

    static DynamoException missingAttribute() {
        return DynamoException.validation("The provided expression refers to an attribute that does not exist in the item");
    }

    static DynamoException incorrectType() {
        return DynamoException.validation("An operand in the update expression has an incorrect data type");
    }

    record FromPath(Path path) implements SetValue {
        public Value eval(Map<String, Value> item) {
            Value v = path.get(item);
            if (v == null) {
                throw missingAttribute();
            }
            return v;
        }
    }

    /** {@code value} is null only when its placeholder was undefined, which fails the parse. */
    record Literal(Value value) implements SetValue {
        public Value eval(Map<String, Value> item) {
            return value;
        }
    }

    record IfNotExists(Path path, SetValue otherwise) implements SetValue {
        public Value eval(Map<String, Value> item) {
            Value v = path.get(item);
            return v != null ? v : otherwise.eval(item);
        }
    }

    record ListAppend(SetValue first, SetValue second) implements SetValue {
        public Value eval(Map<String, Value> item) {
            if (!(first.eval(item) instanceof Value.L a)) {
                throw incorrectType();
            }
            if (!(second.eval(item) instanceof Value.L b)) {
                throw incorrectType();
            }
            List<Value> all = new ArrayList<>(a.values().size() + b.values().size());
            all.addAll(a.values());
            all.addAll(b.values());
            return new Value.L(all);
        }
    }

    record Arithmetic(SetValue left, boolean subtract, SetValue right) implements SetValue {
        public Value eval(Map<String, Value> item) {
            if (!(left.eval(item) instanceof Value.N a)) {
                throw incorrectType();
            }
            if (!(right.eval(item) instanceof Value.N b)) {
                throw incorrectType();
            }
            return Value.N.of(subtract ? a.decimal().subtract(b.decimal()) : a.decimal().add(b.decimal()));
        }
    }
}
