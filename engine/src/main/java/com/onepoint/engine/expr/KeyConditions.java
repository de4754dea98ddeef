package com.onepoint.engine.expr;

import com.onepoint.engine.DynamoException;
import com.onepoint.engine.expr.ConditionTree.AndNode;
import com.onepoint.engine.expr.ConditionTree.Arg;
import com.onepoint.engine.expr.ConditionTree.BetweenNode;
import com.onepoint.engine.expr.ConditionTree.CallArg;
import com.onepoint.engine.expr.ConditionTree.CompareNode;
import com.onepoint.engine.expr.ConditionTree.FunctionNode;
import com.onepoint.engine.expr.ConditionTree.InNode;
import com.onepoint.engine.expr.ConditionTree.Node;
import com.onepoint.engine.expr.ConditionTree.NotNode;
import com.onepoint.engine.expr.ConditionTree.OrNode;
import com.onepoint.engine.expr.ConditionTree.PathArg;
import com.onepoint.engine.expr.ConditionTree.ValueArg;
import com.onepoint.engine.expr.Conditions.Comparator;
import com.onepoint.engine.expr.RangeCondition.Op;
import com.onepoint.engine.value.Value;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A KeyConditionExpression is parsed as a condition, then must be one or two key conditions joined by AND: the
 * partition key with {@code =}, the sort key with {@code = < <= > >=}, BETWEEN or begins_with, each written key
 * first (a comparison may also be written value first). DynamoDB words these errors without the usual
 * "Invalid KeyConditionExpression:" prefix, and so do we.
 */
final class KeyConditions {
    private static final String KIND = "KeyConditionExpression";

    private record Part(Op op, Value value, Value upper) {
    }

    private KeyConditions() {
    }

    static KeyCondition parse(String text, Placeholders p, String hashKey, String rangeKey) {
        Node tree = new ConditionParser(text, KIND, p).parse();
        Map<String, Part> parts = new LinkedHashMap<>();
        collect(tree, parts);
        if (parts.size() > 2) {
            throw fail("Conditions can be of length 1 or 2 only");
        }
        if (rangeKey == null && parts.size() > 1) {
            throw fail("Query key condition not supported");
        }
        Part hash = parts.get(hashKey);
        if (hash == null) {
            throw fail("Query condition missed key schema element: " + hashKey);
        }
        if (hash.op() != Op.EQ) {
            throw fail("Query key condition not supported");
        }
        RangeCondition range = null;
        if (rangeKey != null) {
            Part r = parts.get(rangeKey);
            if (r == null && parts.size() > 1) {
                throw fail("Query condition missed key schema element: " + rangeKey);
            }
            if (r != null) {
                range = RangeCondition.of(r.op(), r.value(), r.upper());
            }
        }
        return new KeyCondition(hash.value(), range);
    }

    private static DynamoException fail(String message) {
        return DynamoException.validation(message);
    }

    private static void collect(Node n, Map<String, Part> parts) {
        if (n instanceof AndNode and) {
            collect(and.left(), parts);
            collect(and.right(), parts);
            return;
        }
        if (n instanceof OrNode) {
            throw invalidOperator("OR");
        }
        if (n instanceof NotNode) {
            throw invalidOperator("NOT");
        }
        if (n instanceof InNode) {
            throw invalidOperator("IN");
        }
        List<Arg> args;
        String operator;
        if (n instanceof CompareNode c) {
            if (c.op() == Comparator.NE) {
                throw invalidOperator("<>");
            }
            args = List.of(c.left(), c.right());
            operator = null;
        } else if (n instanceof BetweenNode b) {
            args = List.of(b.value(), b.lower(), b.upper());
            operator = "BETWEEN";
        } else {
            CallArg call = ((FunctionNode) n).call();
            if (!call.name().equals("begins_with")) {
                throw invalidOperator(call.name());
            }
            args = call.args();
            operator = "begins_with";
        }
        if (operator != null && !(args.get(0) instanceof PathArg)) {
            throw fail("Invalid condition in KeyConditionExpression: " + operator + " operator must have the key attribute as its first operand");
        }
        String key = null;
        int keyIndex = -1;
        for (int i = 0; i < args.size(); i++) {
            Arg a = args.get(i);
            if (a instanceof PathArg path) {
                if (key != null) {
                    throw fail("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
                }
                if (path.path().size() > 1) {
                    throw fail("KeyConditionExpressions cannot have conditions on nested attributes");
                }
                key = path.path().topName();
                keyIndex = i;
            } else if (a instanceof CallArg) {
                throw fail("KeyConditionExpressions cannot contain nested operations");
            }
        }
        if (key == null) {
            throw fail("Invalid condition in KeyConditionExpression: No key attribute specified");
        }
        if (parts.containsKey(key)) {
            throw fail("KeyConditionExpressions must only contain one condition per key");
        }
        Part part;
        if (n instanceof CompareNode c) {
            Comparator op = keyIndex == 0 ? c.op() : c.op().flipped();
            part = new Part(Op.valueOf(op.name()), value(args.get(1 - keyIndex)), null);
        } else if (n instanceof BetweenNode) {
            part = new Part(Op.BETWEEN, value(args.get(1)), value(args.get(2)));
        } else {
            part = new Part(Op.BEGINS_WITH, value(args.get(1)), null);
        }
        parts.put(key, part);
    }

    private static Value value(Arg a) {
        return ((ValueArg) a).value();
    }

    private static DynamoException invalidOperator(String operator) {
        return fail("Invalid operator used in KeyConditionExpression: " + operator);
    }
}
