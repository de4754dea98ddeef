package com.onepoint.engine.expr;

import com.onepoint.engine.expr.Lexer.Kind;
import com.onepoint.engine.expr.Lexer.Token;
import com.onepoint.engine.expr.Update.Action;
import com.onepoint.engine.value.Type;
import com.onepoint.engine.value.Value;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Update grammar:
 * <pre>
 * update := section+        section := SET set (',' set)* | REMOVE path (',' path)* | ADD path :v (',' ...)* | DELETE path :v (',' ...)*
 * set    := path '=' value  value := '(' value ')' | operand | operand '+' operand | operand '-' operand
 * operand := '(' operand ')' | path | :value | if_not_exists '(' path ',' operand ')' | list_append '(' operand ',' operand ')'
 * </pre>
 * Errors other than syntax take DynamoDB's precedence: reserved word, unknown function, repeated section, undefined
 * name, undefined value, overlapping paths, conflicting paths, ADD/DELETE operand type, function misuse.
 */
final class UpdateParser extends ParserBase {
    private static final String[] SECTIONS = {"SET", "REMOVE", "ADD", "DELETE"};

    private final List<Action> actions = new ArrayList<>();

    UpdateParser(String text, Placeholders placeholders) {
        super(text, "UpdateExpression", placeholders);
    }

    @Override
    boolean isKeyword(Token t) {
        if (t.kind() != Kind.WORD || t.text().length() > 6) {
            return false;
        }
        for (String k : SECTIONS) {
            if (k.equalsIgnoreCase(t.text())) {
                return true;
            }
        }
        return false;
    }

    Update parse() {
        EnumSet<Update.Kind> seen = EnumSet.noneOf(Update.Kind.class);
        do {
            Token t = peek();
            if (!isKeyword(t)) {
                throw syntaxError();
            }
            pos++;
            Update.Kind section = Update.Kind.valueOf(t.text().toUpperCase(Locale.ROOT));
            if (!seen.add(section)) {
                note(Slot.SECTION, "The \"" + section + "\" section can only be used once in an update expression;");
            }
            parseAction(section);
            while (at(",")) {
                pos++;
                parseAction(section);
            }
        } while (!atEnd());
        throwFirst(Slot.RESERVED, Slot.UNKNOWN_FUNCTION, Slot.SECTION, Slot.NAME, Slot.VALUE, Slot.OVERLAP,
                Slot.CONFLICT, Slot.OPERAND, Slot.FUNCTION);
        return new Update(actions);
    }

    private void parseAction(Update.Kind section) {
        Path path = parsePath();
        switch (section) {
            case SET: {
                expect("=");
                SetValue value = parseSetValue();
                checkDistinctPath(path);
                actions.add(new Action(section, path, value, null));
                break;
            }
            case REMOVE:
                checkDistinctPath(path);
                actions.add(new Action(section, path, null, null));
                break;
            default: {
                Value operand = parseValue();
                checkDistinctPath(path);
                if (operand != null && !allowed(section, operand.type())) {
                    note(Slot.OPERAND, "Incorrect operand type for operator or function; operator: " + section
                            + ", operand type: " + longTypeName(operand.type()));
                }
                actions.add(new Action(section, path, null, operand));
                break;
            }
        }
    }

    /** ADD takes a number or a set, DELETE a set. */
    private static boolean allowed(Update.Kind section, Type type) {
        return type.isSet() || (section == Update.Kind.ADD && type == Type.N);
    }

    private static String longTypeName(Type type) {
        switch (type) {
            case S:
                return "STRING";
            case N:
                return "NUMBER";
            case B:
                return "BINARY";
            case BOOL:
                return "BOOLEAN";
            case L:
                return "LIST";
            case M:
                return "MAP";
            default:
                return type.name();
        }
    }

    private Value parseValue() {
        Token t = peek();
        if (t.kind() != Kind.VALUE) {
            throw syntaxError();
        }
        pos++;
        Value v = placeholders.value(t.text());
        if (v == null) {
            undefinedValue(t.text());
        }
        return v;
    }

    private SetValue parseSetValue() {
        if (at("(")) {
            Token after = afterClosing(pos);
            // "(a + b)" wraps the whole value, "(a) + b" only its first operand
            if (after == null || !(after.is("+") || after.is("-"))) {
                pos++;
                SetValue inner = parseArithmetic();
                expect(")");
                return inner;
            }
        }
        return parseArithmetic();
    }

    private SetValue parseArithmetic() {
        SetValue left = parseOperand();
        if (at("+") || at("-")) {
            boolean subtract = at("-");
            pos++;
            SetValue right = parseOperand();
            String operator = subtract ? "-" : "+";
            requireLiteralType(operator, left, Type.N);
            requireLiteralType(operator, right, Type.N);
            return new SetValue.Arithmetic(left, subtract, right);
        }
        return left;
    }

    private SetValue parseOperand() {
        if (at("(")) {
            pos++;
            enter();
            SetValue inner = parseOperand();
            expect(")");
            leave();
            return inner;
        }
        Token t = peek();
        if (t.kind() == Kind.VALUE) {
            return new SetValue.Literal(parseValue());
        }
        if (t.kind() == Kind.WORD && !isKeyword(t) && peek(1).is("(")) {
            return parseCall();
        }
        return new SetValue.FromPath(parsePath());
    }

    private SetValue parseCall() {
        String name = peek().text();
        pos += 2;
        enter();
        List<SetValue> args = new ArrayList<>();
        args.add(parseOperand());
        while (at(",")) {
            pos++;
            args.add(parseOperand());
        }
        expect(")");
        leave();
        SetValue unusable = new SetValue.Literal(null);
        if (!name.equals("if_not_exists") && !name.equals("list_append")) {
            note(Slot.UNKNOWN_FUNCTION, ConditionParser.FUNCTIONS.containsKey(name)
                    ? "The function is not allowed in an update expression; function: " + name
                    : "Invalid function name; function: " + name);
            return unusable;
        }
        if (args.size() != 2) {
            note(Slot.FUNCTION, "Incorrect number of operands for operator or function; operator or function: " + name
                    + ", number of operands: " + args.size());
            return unusable;
        }
        if (name.equals("if_not_exists")) {
            if (!(args.get(0) instanceof SetValue.FromPath p)) {
                note(Slot.FUNCTION, "Operator or function requires a document path; operator or function: if_not_exists");
                return unusable;
            }
            return new SetValue.IfNotExists(p.path(), args.get(1));
        }
        requireLiteralType(name, args.get(0), Type.L);
        requireLiteralType(name, args.get(1), Type.L);
        return new SetValue.ListAppend(args.get(0), args.get(1));
    }

    /** A literal operand's type is known now; anything else is checked when the update runs. */
    private void requireLiteralType(String function, SetValue operand, Type type) {
        if (operand instanceof SetValue.Literal l && l.value() != null && l.value().type() != type) {
            note(Slot.FUNCTION, "Incorrect operand type for operator or function; operator or function: " + function
                    + ", operand type: " + l.value().type());
        }
    }
}
