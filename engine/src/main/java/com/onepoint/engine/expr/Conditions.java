package com.onepoint.engine.expr;

import com.onepoint.engine.value.Value;

import java.util.Map;

/**
 * The run-time nodes of a condition. A missing operand makes every comparison false except {@code <>}, which is
 * true (a missing attribute is not equal to anything); comparing values of different types is false, never an error.
 */
final class Conditions {
    private Conditions() {
    }

    enum Comparator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        private static final Comparator[] ALL = values();

        static Comparator of(String symbol) {
            for (Comparator c : ALL) {
                if (c.symbol.equals(symbol)) {
                    return c;
                }
            }
            return null;
        }

        /** The operator that says the same with its operands swapped ({@code :v < k} is {@code k > :v}). */
        Comparator flipped() {
            switch (this) {
                case LT:
                    return GT;
                case LE:
                    return GE;
                case GT:
                    return LT;
                case GE:
                    return LE;
                default:
                    return this;
            }
        }

        boolean test(Value a, Value b) {
            if (a == null || b == null) {
                return this == NE;
            }
            switch (this) {
                case EQ:
                    return Compare.equal(a, b);
                case NE:
                    return !Compare.equal(a, b);
                default:
                    return Compare.ordered(a, b, this == LT || this == LE, this == LE || this == GE);
            }
        }
    }

    record And(Condition left, Condition right) implements Condition {
        public boolean test(Map<String, Value> item) {
            return left.test(item) && right.test(item);
        }
    }

    record Or(Condition left, Condition right) implements Condition {
        public boolean test(Map<String, Value> item) {
            return left.test(item) || right.test(item);
        }
    }

    record Not(Condition inner) implements Condition {
        public boolean test(Map<String, Value> item) {
            return !inner.test(item);
        }
    }

    record Comparison(Operand left, Comparator op, Operand right) implements Condition {
        public boolean test(Map<String, Value> item) {
            return op.test(left.eval(item), right.eval(item));
        }
    }

    record Between(Operand value, Operand lower, Operand upper) implements Condition {
        public boolean test(Map<String, Value> item) {
            Value v = value.eval(item);
            Value lo = lower.eval(item);
            Value hi = upper.eval(item);
            return v != null && lo != null && hi != null && Compare.comparable(v, lo) && Compare.comparable(v, hi)
                    && Compare.order(lo, v) <= 0 && Compare.order(v, hi) <= 0;
        }
    }

    record In(Operand value, Operand[] candidates) implements Condition {
        public boolean test(Map<String, Value> item) {
            Value v = value.eval(item);
            if (v == null) {
                return false;
            }
            for (Operand candidate : candidates) {
                Value c = candidate.eval(item);
                if (c != null && Compare.equal(v, c)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Exists(Path path) implements Condition {
        public boolean test(Map<String, Value> item) {
            return path.get(item) != null;
        }
    }

    record NotExists(Path path) implements Condition {
        public boolean test(Map<String, Value> item) {
            return path.get(item) == null;
        }
    }

    record AttributeType(Operand value, Operand typeName) implements Condition {
        public boolean test(Map<String, Value> item) {
            Value v = value.eval(item);
            return v != null && typeName.eval(item) instanceof Value.S s && v.type().name().equals(s.value());
        }
    }

    record BeginsWith(Operand value, Operand prefix) implements Condition {
        public boolean test(Map<String, Value> item) {
            Value v = value.eval(item);
            Value p = prefix.eval(item);
            return v != null && p != null && Compare.beginsWith(v, p);
        }
    }

    record Contains(Operand value, Operand operand) implements Condition {
        public boolean test(Map<String, Value> item) {
            Value v = value.eval(item);
            Value o = operand.eval(item);
            return v != null && o != null && Compare.contains(v, o);
        }
    }
}
