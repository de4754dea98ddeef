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
import static com.onepoint.engine.expr.Fx.ns;
import static com.onepoint.engine.expr.Fx.s;
import static com.onepoint.engine.expr.Fx.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class UpdateExpressionTest {
    private static final Map<String, Value> ITEM = item(
            "pk", s("p1"),
            "n", n("5"),
            "s", s("text"),
            "l", l(s("a"), s("b"), s("c"), s("d")),
            "m", m("k", s("v"), "nested", m("x", n("1"))),
            "tags", ss("red", "blue"),
            "nums", ns("1", "2"));

    private static Placeholders placeholders() {
        return Fx.placeholders(names("#m", "m", "#k", "k", "#status", "status"),
                ":one", n("1"), ":two", n("2"), ":zero", n("0"), ":x", s("x"), ":y", s("y"), ":s", s("str"),
                ":more", l(s("e"), s("f")), ":empty", l(), ":red", ss("red"), ":green", ss("green"),
                ":tags", ss("red", "blue"), ":n3", ns("3"), ":map", m("a", n("1")), ":bool", Value.Bool.TRUE);
    }

    private static Map<String, Value> apply(String expression, Map<String, Value> item) {
        return Expressions.update(expression, placeholders()).apply(item);
    }

    private static Map<String, Value> apply(String expression) {
        return apply(expression, ITEM);
    }

    @Test
    void setAddsAndReplacesAttributes() {
        Map<String, Value> out = apply("SET added = :x, n = :two");
        assertEquals(s("x"), out.get("added"));
        assertEquals(n("2"), out.get("n"));
        assertEquals(s("text"), out.get("s"));
    }

    @Test
    void setOnANewItem() {
        assertEquals(item("a", s("x"), "ctr", n("1")),
                apply("SET a = :x, ctr = if_not_exists(ctr, :zero) + :one", Map.of()));
    }

    @Test
    void setNestedMapKeyAndListElement() {
        Map<String, Value> out = apply("SET #m.#k = :x, m.nested.x = :two, l[1] = :y");
        assertEquals(m("k", s("x"), "nested", m("x", n("2"))), out.get("m"));
        assertEquals(l(s("a"), s("y"), s("c"), s("d")), out.get("l"));
    }

    @Test
    void setPastTheEndOfAListAppendsInIndexOrder() {
        Map<String, Value> out = apply("SET l[9] = :y, l[7] = :x");
        assertEquals(l(s("a"), s("b"), s("c"), s("d"), s("x"), s("y")), out.get("l"));
    }

    @Test
    void everyOperandReadsTheOriginalItem() {
        Map<String, Value> out = apply("SET n = s, s = n");
        assertEquals(s("text"), out.get("n"));
        assertEquals(n("5"), out.get("s"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SET n = n + :two | 7",
            "SET n = n - :two | 3",
            "SET n = :two - n | -3",
            "SET n = (n + :one) | 6",
            "SET n = if_not_exists(n, :zero) + :one | 6",
            "SET n = if_not_exists(absent, :two) | 2",
            "ADD n :two | 7",
            "ADD n :one SET s = :x | 6",
    })
    void numbers(String expression, String expected) {
        assertEquals(n(expected), apply(expression).get("n"));
    }

    @Test
    void arithmeticIsExactAndStaysWithin38Digits() {
        Placeholders p = Fx.values(":a", n("0.1"), ":b", n("0.2"), ":big", n("99999999999999999999999999999999999999"), ":tiny", n("0.1"));
        assertEquals(n("0.3"), Expressions.update("SET x = :a + :b", p).apply(Map.of()).get("x"));
        assertInvalid("Attempting to store more than 38 significant digits in a Number",
                () -> Expressions.update("SET x = :big + :tiny", Fx.values(":big", n("99999999999999999999999999999999999999"),
                        ":tiny", n("0.1"))).apply(Map.of()));
    }

    @Test
    void listAppend() {
        assertEquals(l(s("a"), s("b"), s("c"), s("d"), s("e"), s("f")), apply("SET l = list_append(l, :more)").get("l"));
        assertEquals(l(s("e"), s("f"), s("a"), s("b"), s("c"), s("d")), apply("SET l = list_append(:more, l)").get("l"));
        assertEquals(l(s("e"), s("f")), apply("SET fresh = list_append(if_not_exists(fresh, :empty), :more)").get("fresh"));
    }

    @Test
    void removeAttributesKeysAndListElements() {
        Map<String, Value> out = apply("REMOVE s, m.k, l[1], absent, m.nope, l[10]");
        assertFalse(out.containsKey("s"));
        assertEquals(m("nested", m("x", n("1"))), out.get("m"));
        assertEquals(l(s("a"), s("c"), s("d")), out.get("l"));
    }

    @Test
    void removingSeveralListElementsUsesTheOriginalIndexes() {
        assertEquals(l(s("b"), s("d")), apply("REMOVE l[0], l[2]").get("l"));
        assertEquals(l(s("b"), s("d")), apply("REMOVE l[2], l[0]").get("l"));
    }

    @Test
    void setAndRemoveOnOneListUseTheOriginalIndexes() {
        assertEquals(l(s("x"), s("c"), s("d")), apply("REMOVE l[1] SET l[0] = :x").get("l"));
    }

    @Test
    void addToSets() {
        assertEquals(ss("red", "blue", "green"), apply("ADD tags :green").get("tags"));
        assertEquals(ss("red", "blue"), apply("ADD tags :red").get("tags"));
        assertEquals(ns("1", "2", "3"), apply("ADD nums :n3").get("nums"));
        assertEquals(ss("green"), apply("ADD fresh :green").get("fresh"));
        assertEquals(n("1"), apply("ADD fresh :one").get("fresh"));
    }

    @Test
    void deleteFromSets() {
        assertEquals(ss("blue"), apply("DELETE tags :red").get("tags"));
        assertEquals(ss("red", "blue"), apply("DELETE tags :green").get("tags"));
        assertFalse(apply("DELETE tags :tags").containsKey("tags"), "an emptied set is removed");
        assertFalse(apply("DELETE absent :red").containsKey("absent"));
        Map<String, Value> nested = item("m", m("k", ss("red"), "other", s("x")));
        assertEquals(m("other", s("x")), apply("DELETE m.#k :red", nested).get("m"));
    }

    @Test
    void emptiedSetInAListIsRemovedLikeAnyElement() {
        Map<String, Value> item = item("l", l(s("keep"), ss("red"), s("gone"), s("tail")));
        assertEquals(l(s("keep"), s("tail")), apply("DELETE l[1] :red REMOVE l[2]", item).get("l"));
    }

    @Test
    void addCreatesAKeyInAnExistingMap() {
        assertEquals(m("k", s("v"), "nested", m("x", n("1")), "cnt", n("1")), apply("ADD m.cnt :one").get("m"));
        assertEquals(m("k", s("v"), "nested", m("x", n("3"))), apply("ADD #m.nested.x :two").get("m"));
    }

    @Test
    void aParsedUpdateIsReusable() {
        Update u = Expressions.update("SET n = n + :one", placeholders());
        Map<String, Value> once = u.apply(ITEM);
        assertEquals(n("7"), u.apply(once).get("n"));
        assertEquals(n("6"), u.apply(ITEM).get("n"));
    }

    @Test
    void clausesInAnyOrderWithMixedCase() {
        Map<String, Value> out = apply("remove s Add n :one delete tags :red SeT fresh = :x");
        assertEquals(item("pk", s("p1"), "n", n("6"), "l", ITEM.get("l"), "m", ITEM.get("m"), "tags", ss("blue"),
                "nums", ITEM.get("nums"), "fresh", s("x")), out);
    }

    @Test
    void theGivenItemIsNeverChanged() {
        Map<String, Value> before = Map.copyOf(ITEM);
        apply("SET m.k = :x, l[0] = :y REMOVE s ADD n :one DELETE tags :red");
        assertEquals(before, ITEM);
    }

    @Test
    void pathsListsEveryTargetInOrder() {
        Update u = Expressions.update("SET a = :x, #m.#k = :y REMOVE l[2] ADD n :one DELETE tags :red", placeholders());
        assertEquals(List.of(Path.of("a"), Path.of(List.of("m", "k")), Path.of(List.of("l", 2)), Path.of("n"), Path.of("tags")),
                u.paths());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SET nope.a = :x | The document path provided in the update expression is invalid for update",
            "SET s.a = :x | The document path provided in the update expression is invalid for update",
            "SET nope[0] = :x | The document path provided in the update expression is invalid for update",
            "SET m[0] = :x | The document path provided in the update expression is invalid for update",
            "SET l.a = :x | The document path provided in the update expression is invalid for update",
            "REMOVE nope.a | The document path provided in the update expression is invalid for update",
            "REMOVE s[0] | The document path provided in the update expression is invalid for update",
            "ADD nope.a :one | The document path provided in the update expression is invalid for update",
            "SET a = nope | The provided expression refers to an attribute that does not exist in the item",
            "SET a = nope + :one | The provided expression refers to an attribute that does not exist in the item",
            "SET a = list_append(nope, :more) | The provided expression refers to an attribute that does not exist in the item",
            "SET a = s + :one | An operand in the update expression has an incorrect data type",
            "SET a = list_append(s, :more) | An operand in the update expression has an incorrect data type",
            "ADD s :one | An operand in the update expression has an incorrect data type",
            "ADD tags :n3 | An operand in the update expression has an incorrect data type",
            "DELETE s :red | An operand in the update expression has an incorrect data type",
            "DELETE nums :red | An operand in the update expression has an incorrect data type",
    })
    void runtimeErrors(String expression, String message) {
        Update update = Expressions.update(expression, placeholders());
        assertInvalid(message, () -> update.apply(ITEM));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "SET a = :x SET b = :y | The \"SET\" section can only be used once in an update expression;",
            "REMOVE a set b = :x remove c | The \"REMOVE\" section can only be used once in an update expression;",
            "ADD n :one ADD n :two | The \"ADD\" section can only be used once in an update expression;",
            "DELETE tags :red DELETE tags :green | The \"DELETE\" section can only be used once in an update expression;",
            "SET a = :x, a.b = :y | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]",
            "SET a = :x REMOVE a | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
            "SET #m[3].#k = :x, m[3] = :y | Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, [3], k], path two: [m, [3]]",
            "REMOVE a.#k SET a[1] = :x | Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, k], path two: [a, [1]]",
            "ADD a :x | Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
            "ADD a :map | Incorrect operand type for operator or function; operator: ADD, operand type: MAP",
            "ADD a :more | Incorrect operand type for operator or function; operator: ADD, operand type: LIST",
            "ADD a :bool | Incorrect operand type for operator or function; operator: ADD, operand type: BOOLEAN",
            "DELETE a :one | Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER",
            "SET a = list_append(:x, a) | Incorrect operand type for operator or function; operator or function: list_append, operand type: S",
            "SET a = a + :x | Incorrect operand type for operator or function; operator or function: +, operand type: S",
            "SET a = :more - a | Incorrect operand type for operator or function; operator or function: -, operand type: L",
            "SET a = if_not_exists(:x, a) | Operator or function requires a document path; operator or function: if_not_exists",
            "SET a = if_not_exists(a) | Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1",
            "SET a = list_append(a, :more, :more) | Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 3",
            "SET a = foo(b) | Invalid function name; function: foo",
            "SET a = size(b) | The function is not allowed in an update expression; function: size",
            "SET status = :x | Attribute name is a reserved keyword; reserved keyword: status",
            "remove Absolute | Attribute name is a reserved keyword; reserved keyword: Absolute",
            "SET #nope = :x | An expression attribute name used in the document path is not defined; attribute name: #nope",
            "SET a = :nope | An expression attribute value used in expression is not defined; attribute value: :nope",
            "INVALID SYNTAX HERE | Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"",
            "ADD hits : incr | Syntax error; token: \":\", near: \"hits : incr\"",
            "SET a = :x, | Syntax error; token: \"<EOF>\", near: \",\"",
            "SET path = VALUE 1 | Syntax error; token: \"1\", near: \"VALUE 1\"",
            "SET a = b + c + d | Syntax error; token: \"+\", near: \"c + d\"",
            "SET a = b * c | Syntax error; token: \"*\", near: \"b * c\"",
            "ADD a b | Syntax error; token: \"b\", near: \"a b\"",
            "REMOVE :x | Syntax error; token: \":x\", near: \"REMOVE :x\"",
            "SET a[1] = 1 | Syntax error; token: \"1\", near: \"= 1\"",
            "SET | Syntax error; token: \"<EOF>\", near: \"SET\"",
    })
    void rejects(String expression, String message) {
        assertInvalid("Invalid UpdateExpression: " + message, () -> Expressions.update(expression, placeholders()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // DynamoDB's ranks: reserved word, unknown function, repeated section, names, values, overlap, conflict, ADD/DELETE types, functions
            "SET #nope = :x SET status = :y | Attribute name is a reserved keyword; reserved keyword: status",
            "SET a = #nope SET c = :x | The \"SET\" section can only be used once in an update expression;",
            "SET a = :nope, b = #nope | An expression attribute name used in the document path is not defined; attribute name: #nope",
            "SET b = list_append(:x, a), c = if_not_exists(a) ADD a.b :x | Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
            "SET d[1] = a, d.b = a, c[1].a = a, #m = if_not_exists(a) | Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [d, [1]], path two: [d, b]",
    })
    void reportsProblemsInDynamoDbsOrder(String expression, String message) {
        assertInvalid("Invalid UpdateExpression: " + message, () -> Expressions.update(expression, placeholders()));
    }

    @Test
    void emptyExpression() {
        assertInvalid("Invalid UpdateExpression: The expression can not be empty;", () -> Expressions.update("", placeholders()));
    }
}
