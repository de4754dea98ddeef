package com.onepoint.engine.expr;

import com.onepoint.engine.value.Type;
import com.onepoint.engine.value.Value;

import java.util.Arrays;

/** The value semantics of condition operators, allocation-free on the common paths. */
final class Compare {
    private Compare() {
    }

    /** Same type and same value; sets as sets, lists and maps structurally (what the value records' equals do). */
    static boolean equal(Value a, Value b) {
        return a.equals(b);
    }

    /** True when both are the same ordered type (S, N, B): {@code <}, {@code BETWEEN} and friends apply. */
    static boolean comparable(Value a, Value b) {
        Type t = a.type();
        return t == b.type() && (t == Type.S || t == Type.N || t == Type.B);
    }

    /** Order of two values already known {@link #comparable}. */
    /**
     * {@code a < b} ({@code less}, not {@code orEqual}), {@code a <= b}, {@code a > b} or {@code a >= b} as DynamoDB
     * evaluates it: false between values that have no common order.
     */
    static boolean ordered(Value a, Value b, boolean less, boolean orEqual) {
        if (!comparable(a, b)) {
            return false;
        }
        int c = order(a, b);
        return c == 0 ? orEqual : (c < 0) == less;
    }

    static int order(Value a, Value b) {
        if (a instanceof Value.N na) {
            return numbers(na.text(), ((Value.N) b).text());
        }
        if (a instanceof Value.S sa) {
            return Value.compareUtf8(sa.value(), ((Value.S) b).value());
        }
        return Arrays.compareUnsigned(((Value.B) a).bytes(), ((Value.B) b).bytes());
    }

    /**
     * Compares two numbers in DynamoDB's normalised text (plain digits, no leading zeros, no trailing fractional
     * zeros, "-" sign, "0" for zero) without parsing them: sign, then integer-part length, then digits.
     */
    static int numbers(String a, String b) {
        boolean negA = a.charAt(0) == '-';
        boolean negB = b.charAt(0) == '-';
        if (negA != negB) {
            return negA ? -1 : 1;
        }
        int magnitude = magnitudes(a, negA ? 1 : 0, b, negB ? 1 : 0);
        return negA ? -magnitude : magnitude;
    }

    private static int magnitudes(String a, int offA, String b, int offB) {
        int intA = integerDigits(a, offA);
        int intB = integerDigits(b, offB);
        if (intA != intB) {
            // "0.x" has one integer digit, like "5.x": it still sorts correctly on its first digit below
            return Integer.compare(intA, intB);
        }
        int lenA = a.length() - offA;
        int lenB = b.length() - offB;
        int n = Math.min(lenA, lenB);
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(offA + i);
            char cb = b.charAt(offB + i);
            if (ca != cb) {
                return Character.compare(ca, cb);
            }
        }
        return Integer.compare(lenA, lenB);
    }

    private static int integerDigits(String s, int off) {
        int dot = s.indexOf('.', off);
        return (dot < 0 ? s.length() : dot) - off;
    }

    /** begins_with: a string prefix of a string, or a byte prefix of a binary; false for anything else. */
    static boolean beginsWith(Value v, Value prefix) {
        if (v instanceof Value.S s && prefix instanceof Value.S p) {
            return s.value().startsWith(p.value());
        }
        if (v instanceof Value.B b && prefix instanceof Value.B p) {
            byte[] bytes = b.bytes();
            byte[] pre = p.bytes();
            return pre.length <= bytes.length && Arrays.equals(bytes, 0, pre.length, pre, 0, pre.length);
        }
        return false;
    }

    /** contains: substring of a string (or binary), member of a set of the operand's type, element of a list. */
    static boolean contains(Value v, Value operand) {
        if (v instanceof Value.S s) {
            return operand instanceof Value.S o && s.value().contains(o.value());
        }
        if (v instanceof Value.SS ss) {
            return operand instanceof Value.S o && ss.values().contains(o.value());
        }
        if (v instanceof Value.NS ns) {
            return operand instanceof Value.N o && ns.values().contains(o.text());
        }
        if (v instanceof Value.BS bs) {
            return operand instanceof Value.B o && bs.values().contains(o);
        }
        if (v instanceof Value.L l) {
            return l.values().contains(operand);
        }
        if (v instanceof Value.B b) {
            return operand instanceof Value.B o && indexOf(b.bytes(), o.bytes()) >= 0;
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * size(): string length in UTF-16 code units (what DynamoDB reports), bytes of a binary, members of a set,
     * elements of a list or map; null for number, boolean and null, which have no size.
     */
    static Value size(Value v) {
        int n;
        if (v instanceof Value.S s) {
            n = s.value().length();
        } else if (v instanceof Value.B b) {
            n = b.bytes().length;
        } else if (v instanceof Value.SS ss) {
            n = ss.values().size();
        } else if (v instanceof Value.NS ns) {
            n = ns.values().size();
        } else if (v instanceof Value.BS bs) {
            n = bs.values().size();
        } else if (v instanceof Value.L l) {
            n = l.values().size();
        } else if (v instanceof Value.M m) {
            n = m.values().size();
        } else {
            return null;
        }
        return Value.N.of(n);
    }
}
