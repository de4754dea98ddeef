package com.onepoint.engine.expr;

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
import com.onepoint.engine.expr.Lexer.Kind;
import com.onepoint.engine.expr.Lexer.Token;
import com.onepoint.engine.value.Type;
import com.onepoint.engine.value.Value;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Condition grammar (ConditionExpression, FilterExpression, KeyConditionExpression):
 * <pre>
 * condition := and ( OR and )*            and := not ( AND not )*          not := NOT not | primary
 * primary   := '(' condition ')' | operand comparator operand | operand BETWEEN operand AND operand
 *            | operand IN '(' operand ( ',' operand )* ')' | function '(' operand ( ',' operand )* ')'
 * operand   := '(' operand ')' | path | :value | size '(' operand ')'
 * </pre>
 * Errors other than syntax take DynamoDB's precedence: redundant parentheses, unknown function, misused function,
 * reserved word, then the first single condition (comparison, BETWEEN, IN or function) with a problem decides,
 * reporting an undefined placeholder before a wrong operand count, before repeated operands, before operand types.
 */
final class ConditionParser extends ParserBase {
    static final Map<String, Integer> FUNCTIONS = Map.of(
            "attribute_exists", 1, "attribute_not_exists", 1, "attribute_type", 2,
            "begins_with", 2, "contains", 2, "size", 1);
    static final Set<String> UPDATE_FUNCTIONS = Set.of("if_not_exists", "list_append");
    static final int MAX_IN_OPERANDS = 100;
    private static final String[] KEYWORDS = {"AND", "OR", "NOT", "BETWEEN", "IN"};
    private static final Set<String> TYPE_NAMES = Set.of("S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS");
    private static final Slot[] LEAF_ORDER = {Slot.NAME, Slot.OPERAND, Slot.DISTINCT, Slot.FUNCTION};

    /** Every top-level attribute a path of this condition starts with. */
    private final Set<String> topLevelNames = new LinkedHashSet<>();
    /** Problems of the single condition being parsed; the first condition with any is the one reported. */
    private String[] leaf;

    ConditionParser(String text, String kind, Placeholders placeholders) {
        super(text, kind, placeholders);
    }

    static Condition condition(String text, Placeholders p, String kind) {
        ConditionParser parser = new ConditionParser(text, kind, p);
        ConditionTree.Node tree = parser.parse();
        return new ParsedCondition(ConditionTree.compile(tree), parser.topLevelNames);
    }

    Node parse() {
        checkRedundantParentheses();
        Node n = parseOr();
        if (!atEnd()) {
            throw syntaxError();
        }
        throwFirst(Slot.PARENS, Slot.UNKNOWN_FUNCTION, Slot.MISUSED_FUNCTION, Slot.RESERVED, Slot.CONDITION);
        return n;
    }

    @Override
    boolean isKeyword(Token t) {
        if (t.kind() != Kind.WORD || t.text().length() > 7) {
            return false;
        }
        for (String k : KEYWORDS) {
            if (k.equalsIgnoreCase(t.text())) {
                return true;
            }
        }
        return false;
    }

    @Override
    void note(Slot slot, String message) {
        if (leaf != null && (slot == Slot.NAME || slot == Slot.VALUE || slot == Slot.OPERAND || slot == Slot.DISTINCT || slot == Slot.FUNCTION)) {
            // conditions report an undefined name and an undefined value from one slot: whichever came first
            int i = slot == Slot.VALUE ? 0 : indexOf(slot);
            if (leaf[i] == null) {
                leaf[i] = message;
            }
            return;
        }
        super.note(slot, message);
    }

    private static int indexOf(Slot slot) {
        for (int i = 0; i < LEAF_ORDER.length; i++) {
            if (LEAF_ORDER[i] == slot) {
                return i;
            }
        }
        throw new IllegalArgumentException(slot.name());
    }

    /** {@code ((x))}: a pair of parentheses whose only content is another pair. A function call's own pair doesn't count. */
    private void checkRedundantParentheses() {
        for (int i = 0; i + 1 < tokens.length; i++) {
            if (tokens[i].is("(") && tokens[i + 1].is("(") && closing[i] >= 0 && closing[i + 1] + 1 == closing[i]
                    && !(i > 0 && tokens[i - 1].kind() == Kind.WORD && !tokens[i - 1].isWord("AND")
                    && !tokens[i - 1].isWord("OR") && !tokens[i - 1].isWord("NOT") && !tokens[i - 1].isWord("BETWEEN"))) {
                note(Slot.PARENS, "The expression has redundant parentheses;");
                return;
            }
        }
    }

    private Node parseOr() {
        Node left = parseAnd();
        while (atWord("OR")) {
            pos++;
            left = new OrNode(left, parseAnd());
        }
        return left;
    }

    private Node parseAnd() {
        Node left = parseNot();
        while (atWord("AND")) {
            pos++;
            left = new AndNode(left, parseNot());
        }
        return left;
    }

    private Node parseNot() {
        if (atWord("NOT")) {
            pos++;
            enter();
            Node inner = parseNot();
            leave();
            return new NotNode(inner);
        }
        return parsePrimary();
    }

    private Node parsePrimary() {
        if (at("(")) {
            Token after = afterClosing(pos);
            // "(a) = :v" parenthesises an operand; "(a = :v)" a condition: the token after ")" tells them apart
            if (after == null || !continuesComparison(after)) {
                pos++;
                enter();
                Node inner = parseOr();
                expect(")");
                leave();
                return inner;
            }
        }
        return parseSingle();
    }

    private static boolean continuesComparison(Token t) {
        return Comparator.of(t.text()) != null && t.kind() == Kind.SYMBOL || t.isWord("BETWEEN") || t.isWord("IN");
    }

    /** One comparison, BETWEEN, IN or function call: the unit DynamoDB checks for errors one at a time. */
    private Node parseSingle() {
        String[] outer = leaf;
        leaf = new String[LEAF_ORDER.length];
        Node n = parseSingleBody();
        for (String message : leaf) {
            if (message != null) {
                super.note(Slot.CONDITION, message);
                break;
            }
        }
        leaf = outer;
        return n;
    }

    private Node parseSingleBody() {
        Arg first = parseOperand();
        Token t = peek();
        Comparator op = t.kind() == Kind.SYMBOL ? Comparator.of(t.text()) : null;
        if (op != null) {
            pos++;
            Arg second = parseOperand();
            checkMisused(first, second);
            checkDistinct(op.symbol, first, second);
            return new CompareNode(first, op, second);
        }
        if (t.isWord("BETWEEN")) {
            pos++;
            Arg lower = parseOperand();
            if (!atWord("AND")) {
                throw syntaxError();
            }
            pos++;
            Arg upper = parseOperand();
            checkMisused(first, lower, upper);
            checkBounds(lower, upper);
            return new BetweenNode(first, lower, upper);
        }
        if (t.isWord("IN")) {
            pos++;
            expect("(");
            List<Arg> candidates = new ArrayList<>();
            candidates.add(parseOperand());
            while (at(",")) {
                pos++;
                candidates.add(parseOperand());
            }
            expect(")");
            List<Arg> all = new ArrayList<>(candidates);
            all.add(0, first);
            checkMisused(all.toArray(new Arg[0]));
            if (candidates.size() > MAX_IN_OPERANDS) {
                note(Slot.OPERAND, "The IN operator is provided with too many operands; number of operands: " + candidates.size());
            }
            return new InNode(first, candidates);
        }
        if (first instanceof CallArg call) {
            if (call.name().equals("size")) {
                note(Slot.MISUSED_FUNCTION, "The function is not allowed to be used this way in an expression; function: size");
            }
            return new FunctionNode(call);
        }
        throw syntaxError();
    }

    private Arg parseOperand() {
        if (at("(")) {
            pos++;
            enter();
            Arg inner = parseOperand();
            expect(")");
            leave();
            return inner;
        }
        Token t = peek();
        if (t.kind() == Kind.VALUE) {
            pos++;
            Value v = placeholders.value(t.text());
            if (v == null) {
                undefinedValue(t.text());
            }
            return new ValueArg(t.text(), v);
        }
        if (t.kind() == Kind.WORD && !isKeyword(t) && peek(1).is("(")) {
            return parseCall();
        }
        Path path = parsePath();
        topLevelNames.add(path.topName());
        return new PathArg(path);
    }

    private CallArg parseCall() {
        String name = peek().text();
        pos += 2;
        enter();
        List<Arg> args = new ArrayList<>();
        args.add(parseOperand());
        while (at(",")) {
            pos++;
            args.add(parseOperand());
        }
        expect(")");
        leave();
        checkMisused(args.toArray(new Arg[0]));
        checkFunction(name, args);
        return new CallArg(name, args);
    }

    private void checkFunction(String name, List<Arg> args) {
        Integer operands = FUNCTIONS.get(name);
        if (operands == null) {
            note(Slot.UNKNOWN_FUNCTION, UPDATE_FUNCTIONS.contains(name)
                    ? "The function is not allowed in a condition expression; function: " + name
                    : "Invalid function name; function: " + name);
            return;
        }
        if (args.size() != operands) {
            note(Slot.OPERAND, "Incorrect number of operands for operator or function; operator or function: " + name
                    + ", number of operands: " + args.size());
            return;
        }
        if (operands == 2) {
            checkDistinct(name, args.get(0), args.get(1));
        }
        switch (name) {
            case "attribute_exists":
            case "attribute_not_exists":
                requirePath(name, args.get(0));
                break;
            case "attribute_type": {
                requirePath(name, args.get(0));
                String type = typeOf(args.get(1));
                if (!"S".equals(type)) {
                    incorrectOperandType(name, type == null ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : type);
                } else {
                    String typeName = ((Value.S) ((ValueArg) args.get(1)).value()).value();
                    if (!TYPE_NAMES.contains(typeName)) {
                        note(Slot.FUNCTION, "Invalid attribute type name found; type: " + typeName
                                + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
                    }
                }
                break;
            }
            case "begins_with":
                for (Arg a : args) {
                    String type = typeOf(a);
                    if (type != null && !type.equals("S") && !type.equals("B")) {
                        incorrectOperandType(name, type);
                        break;
                    }
                }
                break;
            case "size": {
                String type = typeOf(args.get(0));
                if ("N".equals(type) || "BOOL".equals(type) || "NULL".equals(type)) {
                    incorrectOperandType(name, type);
                }
                break;
            }
            default:
                break;
        }
    }

    private void requirePath(String function, Arg a) {
        if (!(a instanceof PathArg)) {
            note(Slot.FUNCTION, "Operator or function requires a document path; operator or function: " + function);
        }
    }

    private void incorrectOperandType(String function, String type) {
        note(Slot.FUNCTION, "Incorrect operand type for operator or function; operator or function: " + function
                + ", operand type: " + type);
    }

    /** The type an operand is known to have before any item is seen: a literal's, or N for size(); else null. */
    private static String typeOf(Arg a) {
        if (a instanceof ValueArg v && v.value() != null) {
            return v.value().type().name();
        }
        if (a instanceof CallArg c && c.name().equals("size")) {
            return "N";
        }
        return null;
    }

    /** Only size() yields a value; any other function is a condition and can't be an operand. */
    private void checkMisused(Arg... args) {
        for (Arg a : args) {
            if (a instanceof CallArg c && !c.name().equals("size")) {
                note(Slot.MISUSED_FUNCTION, "The function is not allowed to be used this way in an expression; function: " + c.name());
            }
        }
    }

    private void checkDistinct(String operator, Arg first, Arg second) {
        if (first instanceof PathArg a && second instanceof PathArg b && a.path().equals(b.path())) {
            note(Slot.DISTINCT, "The first operand must be distinct from the remaining operands for this operator or function; operator: "
                    + operator + ", first operand: " + a.path());
        }
    }

    /** BETWEEN with two literal bounds: same type, and not upside down. */
    private void checkBounds(Arg lower, Arg upper) {
        if (!(lower instanceof ValueArg lo) || !(upper instanceof ValueArg hi) || lo.value() == null || hi.value() == null) {
            return;
        }
        Value a = lo.value();
        Value b = hi.value();
        String operands = "lower bound operand: AttributeValue: {" + a.type() + ":" + render(a) + "}, upper bound operand: AttributeValue: {"
                + b.type() + ":" + render(b) + "}";
        if (a.type() != b.type()) {
            note(Slot.FUNCTION, "The BETWEEN operator requires same data type for lower and upper bounds; " + operands);
        } else if (Compare.comparable(a, b) && Compare.order(a, b) > 0) {
            note(Slot.FUNCTION, "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " + operands);
        }
    }

    private static String render(Value v) {
        if (v instanceof Value.S s) {
            return s.value();
        }
        if (v instanceof Value.N n) {
            return n.text();
        }
        if (v instanceof Value.B b) {
            return Base64.getEncoder().encodeToString(b.bytes());
        }
        if (v instanceof Value.Bool b) {
            return Boolean.toString(b.value());
        }
        if (v.type() == Type.NULL) {
            return "true";
        }
        return v.toString();
    }
}
