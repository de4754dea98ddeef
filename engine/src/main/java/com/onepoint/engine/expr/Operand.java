package com.onepoint.engine.expr;

import com.onepoint.engine.value.Value;

import java.util.Map;

/** A condition operand at run time: its value in an item, or null when it has none (missing path, size of a number). */
interface Operand {
    Value eval(Map<String, Value> item);

    record PathOperand(Path path) implements Operand {
        public Value eval(Map<String, Value> item) {
            return path.get(item);
        }
    }

    record Literal(Value value) implements Operand {
        public Value eval(Map<String, Value> item) {
            return value;
        }
    }

    record Size(Operand of) implements Operand {
        public Value eval(Map<String, Value> item) {
            Value v = of.eval(item);
            return v == null ? null : Compare.size(v);
        }
    }
}
