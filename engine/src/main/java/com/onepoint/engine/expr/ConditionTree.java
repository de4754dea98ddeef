package com.onepoint.engine.expr;

import com.onepoint.engine.expr.Conditions.Comparator;
import com.onepoint.engine.value.Value;

import java.util.List;

/**
 * A parsed condition before it becomes run-time nodes: what the KeyConditionExpression checks inspect, and what
 * {@link #compile} turns into a {@link Condition} once the parser has reported every error.
 */
final class ConditionTree {
    private ConditionTree() {
    }

    interface Node {
    }

    interface Arg {
    }

    record PathArg(Path path) implements Arg {
    }

    /** {@code value} is null when the placeholder is undefined (the parse then fails before anything runs). */
    record ValueArg(String placeholder, Value value) implements Arg {
    }

    record CallArg(String name, List<Arg> args) implements Arg {
    }

    record AndNode(Node left, Node right) implements Node {
    }

    record OrNode(Node left, Node right) implements Node {
    }

    record NotNode(Node inner) implements Node {
    }

    record CompareNode(Arg left, Comparator op, Arg right) implements Node {
    }

    record BetweenNode(Arg value, Arg lower, Arg upper) implements Node {
    }

    record InNode(Arg value, List<Arg> candidates) implements Node {
    }

    /** A function used as a condition: attribute_exists(a), begins_with(a, :p)... */
    record FunctionNode(CallArg call) implements Node {
    }

    static Condition compile(Node n) {
        if (n instanceof AndNode a) {
            return new Conditions.And(compile(a.left()), compile(a.right()));
        }
        if (n instanceof OrNode o) {
            return new Conditions.Or(compile(o.left()), compile(o.right()));
        }
        if (n instanceof NotNode not) {
            return new Conditions.Not(compile(not.inner()));
        }
        if (n instanceof CompareNode c) {
            return new Conditions.Comparison(operand(c.left()), c.op(), operand(c.right()));
        }
        if (n instanceof BetweenNode b) {
            return new Conditions.Between(operand(b.value()), operand(b.lower()), operand(b.upper()));
        }
        if (n instanceof InNode in) {
            return new Conditions.In(operand(in.value()), in.candidates().stream().map(ConditionTree::operand).toArray(Operand[]::new));
        }
        CallArg call = ((FunctionNode) n).call();
        List<Arg> args = call.args();
        switch (call.name()) {
            case "attribute_exists":
                return new Conditions.Exists(((PathArg) args.get(0)).path());
            case "attribute_not_exists":
                return new Conditions.NotExists(((PathArg) args.get(0)).path());
            case "attribute_type":
                return new Conditions.AttributeType(operand(args.get(0)), operand(args.get(1)));
            case "begins_with":
                return new Conditions.BeginsWith(operand(args.get(0)), operand(args.get(1)));
            case "contains":
                return new Conditions.Contains(operand(args.get(0)), operand(args.get(1)));
            default:
                throw new IllegalStateException("not a condition function: " + call.name());
        }
    }

    static Operand operand(Arg a) {
        if (a instanceof PathArg p) {
            return new Operand.PathOperand(p.path());
        }
        if (a instanceof ValueArg v) {
            return new Operand.Literal(v.value());
        }
        CallArg call = (CallArg) a;
        if (!call.name().equals("size")) {
            throw new IllegalStateException("not an operand function: " + call.name());
        }
        return new Operand.Size(operand(call.args().get(0)));
    }
}
