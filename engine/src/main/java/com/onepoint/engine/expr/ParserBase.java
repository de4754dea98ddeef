package com.onepoint.engine.expr;

import com.onepoint.engine.DynamoException;
import com.onepoint.engine.expr.Lexer.Kind;
import com.onepoint.engine.expr.Lexer.Token;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * What the four expression parsers share: the token cursor, document paths, and DynamoDB's error reporting. A
 * syntax error stops the parse at once; every other problem is noted in a slot (the first of each kind wins) and
 * reported after a clean parse, in the order of precedence DynamoDB applies to that expression type.
 */
abstract class ParserBase {
    /** DynamoDB limits every expression to 4 KB of UTF-8. */
    static final int MAX_EXPRESSION_BYTES = 4096;
    /** Parentheses, NOT and function calls nest no deeper than this: a guard for the recursive descent's stack. */
    static final int MAX_DEPTH = 200;

    enum Slot {
        PARENS, UNKNOWN_FUNCTION, MISUSED_FUNCTION, RESERVED, SECTION, NAME, VALUE, OVERLAP, CONFLICT,
        OPERAND, DISTINCT, FUNCTION, CONDITION
    }

    final String text;
    final String kind;
    final Placeholders placeholders;
    final Token[] tokens;
    /** For each "(" the index of its ")", -1 when unclosed; -1 for every other token. */
    final int[] closing;
    int pos;
    private int depth;
    private final String[] slots = new String[Slot.values().length];
    private final List<Path> writtenPaths = new ArrayList<>();

    ParserBase(String text, String kind, Placeholders placeholders) {
        this.text = text;
        this.kind = kind;
        this.placeholders = placeholders;
        if (text == null || text.isEmpty()) {
            throw invalid("The expression can not be empty;");
        }
        // a char is at most 3 UTF-8 bytes: only long texts need counting
        int bytes = text.length() * 3 <= MAX_EXPRESSION_BYTES ? text.length() : text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_EXPRESSION_BYTES) {
            throw invalid("Expression size has exceeded the maximum allowed size; expression size: " + bytes);
        }
        this.tokens = Lexer.tokenize(text);
        this.closing = matchParentheses(tokens);
    }

    /** Words that are grammar here, so can never be attribute names (AND, OR... in conditions; SET... in updates). */
    abstract boolean isKeyword(Token t);

    final DynamoException invalid(String message) {
        return DynamoException.validation("Invalid " + kind + ": " + message);
    }

    final DynamoException syntaxError() {
        return syntaxErrorAt(pos);
    }

    /** DynamoDB names the offending token and quotes the source from the token before it to the token after it. */
    final DynamoException syntaxErrorAt(int i) {
        Token t = tokens[i];
        int from = i > 0 ? tokens[i - 1].start() : t.start();
        int to = t.kind() != Kind.EOF && tokens[i + 1].kind() != Kind.EOF ? tokens[i + 1].end() : t.end();
        return invalid("Syntax error; token: \"" + t.text() + "\", near: \"" + text.substring(from, to) + "\"");
    }

    void note(Slot slot, String message) {
        if (slots[slot.ordinal()] == null) {
            slots[slot.ordinal()] = message;
        }
    }

    final void throwFirst(Slot... order) {
        for (Slot s : order) {
            String message = slots[s.ordinal()];
            if (message != null) {
                throw invalid(message);
            }
        }
    }

    final Token peek() {
        return tokens[pos];
    }

    final Token peek(int ahead) {
        return tokens[Math.min(pos + ahead, tokens.length - 1)];
    }

    final boolean at(String symbol) {
        return tokens[pos].is(symbol);
    }

    final boolean atWord(String keyword) {
        return tokens[pos].isWord(keyword);
    }

    final boolean atEnd() {
        return tokens[pos].kind() == Kind.EOF;
    }

    final void expect(String symbol) {
        if (!at(symbol)) {
            throw syntaxError();
        }
        pos++;
    }

    final void enter() {
        if (++depth > MAX_DEPTH) {
            throw syntaxError();
        }
    }

    final void leave() {
        depth--;
    }

    /** The token just after the ")" closing the "(" at {@code open}, or null when it is never closed. */
    final Token afterClosing(int open) {
        int close = closing[open];
        return close < 0 ? null : tokens[close + 1];
    }

    /**
     * path := name ( '.' name | '[' digits ']' )*, name := identifier | #placeholder. A bare identifier must not be
     * a reserved word; a placeholder must be defined (else the placeholder itself stands in, never evaluated).
     */
    final Path parsePath() {
        List<Object> elements = new ArrayList<>(4);
        elements.add(pathName());
        while (true) {
            if (at(".")) {
                pos++;
                elements.add(pathName());
            } else if (at("[")) {
                pos++;
                elements.add(listIndex());
                expect("]");
            } else {
                return Path.of(elements);
            }
        }
    }

    private String pathName() {
        Token t = peek();
        if (t.kind() == Kind.WORD && !isKeyword(t)) {
            pos++;
            if (ReservedWords.isReserved(t.text())) {
                note(Slot.RESERVED, "Attribute name is a reserved keyword; reserved keyword: " + t.text());
            }
            return t.text();
        }
        if (t.kind() == Kind.NAME) {
            pos++;
            String name = placeholders.name(t.text());
            if (name == null) {
                undefinedName(t.text());
                return t.text();
            }
            return name;
        }
        throw syntaxError();
    }

    private Integer listIndex() {
        Token t = peek();
        if (t.kind() != Kind.NUMBER || !t.text().chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw syntaxError();
        }
        pos++;
        long index = t.text().length() > 10 ? Long.MAX_VALUE : Long.parseLong(t.text());
        if (index > Integer.MAX_VALUE) {
            throw invalid("List index is not within the allowable range; index: [" + t.text() + "]");
        }
        return (int) index;
    }

    void undefinedName(String placeholder) {
        note(Slot.NAME, "An expression attribute name used in the document path is not defined; attribute name: " + placeholder);
    }

    void undefinedValue(String placeholder) {
        note(Slot.VALUE, "An expression attribute value used in expression is not defined; attribute value: " + placeholder);
    }

    /**
     * Update and projection paths may not repeat, nest inside one another (overlap: {@code a} and {@code a.b}), or
     * read one container both as a map and as a list (conflict: {@code a.b} and {@code a[0]}).
     */
    final void checkDistinctPath(Path path) {
        for (Path earlier : writtenPaths) {
            int n = Math.min(earlier.size(), path.size());
            boolean differs = false;
            for (int i = 0; i < n && !differs; i++) {
                Object a = earlier.element(i);
                Object b = path.element(i);
                if (a.getClass() != b.getClass()) {
                    note(Slot.CONFLICT, "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: "
                            + earlier + ", path two: " + path);
                    differs = true;
                } else if (!a.equals(b)) {
                    differs = true;
                }
            }
            if (!differs) {
                note(Slot.OVERLAP, "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: "
                        + earlier + ", path two: " + path);
                break;
            }
        }
        writtenPaths.add(path);
    }

    final List<Path> writtenPaths() {
        return writtenPaths;
    }

    private static int[] matchParentheses(Token[] tokens) {
        int[] closing = new int[tokens.length];
        Arrays.fill(closing, -1);
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].is("(")) {
                open.push(i);
            } else if (tokens[i].is(")") && !open.isEmpty()) {
                closing[open.pop()] = i;
            }
        }
        return closing;
    }
}
