package com.onepoint.engine.expr;

import com.onepoint.engine.value.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static com.onepoint.engine.expr.Fx.assertInvalid;
import static com.onepoint.engine.expr.Fx.item;
import static com.onepoint.engine.expr.Fx.l;
import static com.onepoint.engine.expr.Fx.m;
import static com.onepoint.engine.expr.Fx.n;
import static com.onepoint.engine.expr.Fx.names;
import static com.onepoint.engine.expr.Fx.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ProjectionExpressionTest {
    private static final Map<String, Value> ITEM = item(
            "pk", s("p1"),
            "status", s("active"),
            "a", s("x"),
            "m", m("k", s("v"), "extra", s("o"), "nested", m("deep", n("3"), "skip", n("4"))),
            "l", l(s("l0"), m("k", s("v1"), "z", s("z1")), s("l2"), s("l3")));

    private static Map<String, Value> project(String expression) {
        Placeholders p = Fx.placeholders(names("#s", "status", "#m", "m"));
        return Expressions.projection(expression, p).apply(ITEM);
    }

    @Test
    void keepsOnlyTheNamedTopLevelAttributes() {
        assertEquals(item("pk", s("p1"), "status", s("active")), project("pk, #s, absent"));
    }

    @Test
    void nestedPathsKeepTheirNesting() {
        assertEquals(item("m", m("k", s("v"), "nested", m("deep", n("3")))), project("#m.k, m.nested.deep, m.nope"));
    }

    @Test
    void listElementsCloseUpInIndexOrder() {
        assertEquals(item("l", l(s("l0"), s("l3"))), project("l[3], l[0], l[9]"));
        assertEquals(item("l", l(m("k", s("v1")), s("l2"))), project("l[2], l[1].k"));
    }

    @Test
    void programmaticProjectionsMayOverlapAndTheWholeWins() {
        Projection p = Projection.of(List.of(Path.of(List.of("m", "k")), Path.of("m"), Path.of("pk")));
        assertEquals(item("m", ITEM.get("m"), "pk", s("p1")), p.apply(ITEM));
        assertEquals(List.of(Path.of(List.of("m", "k")), Path.of("m"), Path.of("pk")), p.paths());
    }

    @Test
    void anAbsentItemProjectsToEmpty() {
        assertEquals(Map.of(), Expressions.projection("a, m.k", Placeholders.none()).apply(Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "a, a.b | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]",
            "a, pk, a | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
            "m.k[1], #m.k | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, k, [1]], path two: [m, k]",
            "m.k, #m[1] | Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [m, k], path two: [m, [1]]",
            "pk, status | Attribute name is a reserved keyword; reserved keyword: status",
            "pk, #nope | An expression attribute name used in the document path is not defined; attribute name: #nope",
            "!!! INVALID !!! | Syntax error; token: \"!\", near: \"!!\"",
            "pk, :v | Syntax error; token: \":v\", near: \", :v\"",
            "pk, | Syntax error; token: \"<EOF>\", near: \",\"",
            "size(a) | Syntax error; token: \"(\", near: \"size(a\"",
            "a b | Syntax error; token: \"b\", near: \"a b\"",
            "l[-1] | Syntax error; token: \"-\", near: \"[-1\"",
            "[0] | Syntax error; token: \"[\", near: \"[0\"",
    })
    void rejects(String expression, String message) {
        assertInvalid("Invalid ProjectionExpression: " + message, () -> project(expression));
    }

    @Test
    void reservedWordBeforeUndefinedNameBeforeOverlap() {
        assertInvalid("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name",
                () -> project("a, a, #nope, name"));
        assertInvalid("Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #nope",
                () -> project("a, a, #nope"));
    }

    @Test
    void emptyExpression() {
        assertInvalid("Invalid ProjectionExpression: The expression can not be empty;", () -> project(""));
    }
}
