package com.onepoint.engine.expr;

import com.onepoint.engine.expr.RangeCondition.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.onepoint.engine.expr.Fx.assertInvalid;
import static com.onepoint.engine.expr.Fx.b;
import static com.onepoint.engine.expr.Fx.n;
import static com.onepoint.engine.expr.Fx.names;
import static com.onepoint.engine.expr.Fx.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyConditionExpressionTest {
    private static Placeholders placeholders() {
        return Fx.placeholders(names("#pk", "pk", "#sk", "sk"),
                ":p", s("p1"), ":a", s("a"), ":c", s("c"), ":pre", s("ab"), ":five", n("5"), ":nine", n("9"));
    }

    private static KeyCondition composite(String expression) {
        return Expressions.keyCondition(expression, placeholders(), "pk", "sk");
    }

    private static KeyCondition hashOnly(String expression) {
        return Expressions.keyCondition(expression, placeholders(), "pk", null);
    }

    @Test
    void hashOnly() {
        KeyCondition k = hashOnly("pk = :p");
        assertEquals(s("p1"), k.hashValue());
        assertNull(k.range());
        assertNull(composite("#pk = :p").range());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "pk = :p AND sk = :a | EQ",
            "pk = :p AND sk < :a | LT",
            "pk = :p AND sk <= :a | LE",
            "pk = :p AND sk > :a | GT",
            "pk = :p AND sk >= :a | GE",
            "sk >= :a AND pk = :p | GE",
            ":a < sk AND pk = :p | GT",
            ":a >= #sk and #pk = :p | LE",
            "(#pk = :p) AND (#sk = :a) | EQ",
            "(#pk = :p AND (#sk = :a)) | EQ",
            "pk = :p AND begins_with(sk, :a) | BEGINS_WITH",
    })
    void sortKeyOperators(String expression, Op op) {
        KeyCondition k = composite(expression);
        assertEquals(s("p1"), k.hashValue());
        assertEquals(op, k.range().op());
        assertEquals(s("a"), k.range().value());
        assertNull(k.range().upper());
    }

    @Test
    void between() {
        RangeCondition r = composite("pk = :p and sk between :a and :c").range();
        assertEquals(Op.BETWEEN, r.op());
        assertEquals(s("a"), r.value());
        assertEquals(s("c"), r.upper());
        assertTrue(r.test(s("a")));
        assertTrue(r.test(s("b")));
        assertTrue(r.test(s("c")));
        assertFalse(r.test(s("ca")));
        assertFalse(r.test(n("1")), "another type never matches");
    }

    @Test
    void rangeConditionsTestSortKeyValues() {
        assertTrue(composite("pk = :p AND sk < :nine").range().test(n("8.5")));
        assertFalse(composite("pk = :p AND sk < :nine").range().test(n("10")));
        assertTrue(composite("pk = :p AND begins_with(sk, :pre)").range().test(s("abc")));
        assertFalse(composite("pk = :p AND begins_with(sk, :pre)").range().test(s("a")));
        assertTrue(RangeCondition.of(Op.BEGINS_WITH, b("ab"), null).test(b("abc")));
        assertTrue(RangeCondition.of(Op.GE, n("-1"), null).test(n("-0.5")));
        assertFalse(RangeCondition.of(Op.EQ, n("5"), null).test(s("5")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sk = :a | Query condition missed key schema element: pk",
            "attr1 = :a | Query condition missed key schema element: pk",
            "pk = :p AND attr1 = :a | Query condition missed key schema element: sk",
            "pk > :p | Query key condition not supported",
            "begins_with(pk, :p) | Query key condition not supported",
            "pk = :p AND pk = :p | KeyConditionExpressions must only contain one condition per key",
            "pk = :p AND sk > :a AND sk < :c | KeyConditionExpressions must only contain one condition per key",
            "pk = :p AND sk = :a AND attr1 = :c | Conditions can be of length 1 or 2 only",
            "pk = :p OR sk = :a | Invalid operator used in KeyConditionExpression: OR",
            "NOT pk = :p | Invalid operator used in KeyConditionExpression: NOT",
            "pk IN (:p) | Invalid operator used in KeyConditionExpression: IN",
            "pk = :p AND sk <> :a | Invalid operator used in KeyConditionExpression: <>",
            "attribute_exists(pk) | Invalid operator used in KeyConditionExpression: attribute_exists",
            "pk = :p AND contains(sk, :a) | Invalid operator used in KeyConditionExpression: contains",
            "pk = :p AND sk.x = :a | KeyConditionExpressions cannot have conditions on nested attributes",
            "pk = :p AND size(sk) > :five | KeyConditionExpressions cannot contain nested operations",
            "pk = sk | Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
            "pk = :p AND begins_with(sk, pk) | Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
            ":a = :p | Invalid condition in KeyConditionExpression: No key attribute specified",
            "pk = :p AND :a BETWEEN sk AND :c | Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand",
            "pk = :p AND begins_with(:a, sk) | Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand",
    })
    void rejectsCompositeKeyConditions(String expression, String message) {
        assertInvalid(message, () -> composite(expression));
    }

    @Test
    void hashOnlySchemaTakesOneCondition() {
        assertInvalid("Query key condition not supported", () -> hashOnly("pk = :p AND sk = :a"));
        assertInvalid("Query condition missed key schema element: pk", () -> hashOnly("sk = :a"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                        "pk = :p AND begins_with(sk, :five) | Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
            "pk = :p AND sk BETWEEN :c AND :a | The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:c}, upper bound operand: AttributeValue: {S:a}",
            "((pk = :p)) | The expression has redundant parentheses;",
            "pk = :nope | An expression attribute value used in expression is not defined; attribute value: :nope",
            "#nope = :p | An expression attribute name used in the document path is not defined; attribute name: #nope",
            "key = :p | Attribute name is a reserved keyword; reserved keyword: key",
            "pk = :p AND | Syntax error; token: \"<EOF>\", near: \"AND\"",
    })
    void rejectsLikeAnyCondition(String expression, String message) {
        assertInvalid("Invalid KeyConditionExpression: " + message, () -> composite(expression));
    }
}
