package com.onepoint.engine.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an expression into tokens. Anything the grammar has no use for (a stray {@code !}, a lone {@code #}, a
 * non-ASCII letter) still becomes a one-character token, so the parser can name it in DynamoDB's
 * {@code Syntax error; token: "!", near: "!!"} message instead of failing here.
 */
final class Lexer {
    enum Kind {
        /** Identifier or keyword: a letter or underscore, then letters, digits, underscores. */
        WORD,
        /** Starts with a digit (a list index when it is all digits). */
        NUMBER,
        /** {@code #name}: an expression attribute name. */
        NAME,
        /** {@code :name}: an expression attribute value. */
        VALUE,
        /** Operator, punctuation, or a character the grammar does not know. */
        SYMBOL,
        EOF
    }

    /** One token; {@code start}/{@code end} are char offsets into the expression. */
    record Token(Kind kind, String text, int start, int end) {
        boolean is(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        boolean isWord(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }
    }

    private Lexer() {
    }

    static Token[] tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        int lastEnd = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                i++;
                continue;
            }
            int start = i;
            Kind kind;
            if (c == '#' || c == ':') {
                int j = wordEnd(s, i + 1);
                if (j > i + 1) {
                    kind = c == '#' ? Kind.NAME : Kind.VALUE;
                    i = j;
                } else {
                    kind = Kind.SYMBOL;
                    i++;
                }
            } else if (isLetter(c)) {
                kind = Kind.WORD;
                i = wordEnd(s, i);
            } else if (c >= '0' && c <= '9') {
                kind = Kind.NUMBER;
                i = wordEnd(s, i);
            } else if (c == '<') {
                kind = Kind.SYMBOL;
                i += i + 1 < n && (s.charAt(i + 1) == '>' || s.charAt(i + 1) == '=') ? 2 : 1;
            } else if (c == '>') {
                kind = Kind.SYMBOL;
                i += i + 1 < n && s.charAt(i + 1) == '=' ? 2 : 1;
            } else {
                kind = Kind.SYMBOL;
                i += Character.charCount(s.codePointAt(i));
            }
            out.add(new Token(kind, s.substring(start, i), start, i));
            lastEnd = i;
        }
        // EOF sits right after the last real token, so a "near" window ending at it carries no trailing blanks
        out.add(new Token(Kind.EOF, "<EOF>", lastEnd, lastEnd));
        return out.toArray(new Token[0]);
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static int wordEnd(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (isLetter(c) || (c >= '0' && c <= '9')) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }
}
