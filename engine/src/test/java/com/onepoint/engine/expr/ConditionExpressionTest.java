package com.onepoint.engine.expr;

import com.onepoint.engine.value.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static com.onepoint.engine.expr.Fx.assertInvalid;
import static com.onepoint.engine.expr.Fx.b;
import static com.onepoint.engine.expr.Fx.bs;
import static com.onepoint.engine.expr.Fx.item;
import static com.onepoint.engine.expr.Fx.l;
import static com.onepoint.engine.expr.Fx.m;
import static com.onepoint.engine.expr.Fx.n;
import static com.onepoint.engine.expr.Fx.names;
import static com.onepoint.engine.expr.Fx.ns;
import static com.onepoint.engine.expr.Fx.placeholders;
import static com.onepoint.engine.expr.Fx.s;
import static com.onepoint.engine.expr.Fx.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionExpressionTest {
    private static final Map<String, Value> ITEM = item(
            "pk", s("p1"),
            "n", n("5"),
            "neg", n("-2.5"),
            "s", s("hello world"),
            "status", s("active"),
            "b", b("abc"),
            "flag", Value.Bool.TRUE,
            "nul", Value.Null.INSTANCE,
            "ss", ss("a", "b"),
            "ns", ns("1", "2"),
            "bs", bs("x"),
            "arr", l(s("a"), n("1"), m("k", s("v"))),
            "doc", m("k", s("v"), "nested", m("deep", n("3"))));

    private static Placeholders placeholders() {
        return Fx.placeholders(names("#st", "status", "#m", "doc", "#dot", "a.b"),
                ":zero", n("0"), ":one", n("1"), ":two", n("2"), ":three", n("3"), ":five", n("5"), ":six", n("6"),
                ":seven", n("7"), ":eleven", n("11"), ":negthree", n("-3"),
                ":hello", s("hello"), ":world", s("world"), ":a", s("a"), ":active", s("active"),
                ":typeSS", s("SS"), ":typeN", s("N"), ":typeNULL", s("NULL"),
                ":abc", b("abc"), ":ab", b("ab"), ":abd", b("abd"),
                ":kv", m("k", s("v")), ":ba", ss("b", "a"), ":arr", l(s("a"), n("1"), m("k", s("v"))),
                ":doc", m("nested", m("deep", n("3")), "k", s("v")), ":true", Value.Bool.TRUE);
    }

    private static boolean eval(String expression) {
        return Expressions.condition(expression, placeholders(), "ConditionExpression").test(ITEM);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "n = :five | true",
            "n <> :five | false",
            "n < :six | true",
            "n <= :five | true",
            "n > :five | false",
            "n >= :five | true",
            ":five = n | true",
            ":six > n | true",
            "neg < :zero | true",
            "neg > :negthree | true",
            "s > :hello | true",
            "s < :world | true",
            "b = :abc | true",
            "b < :abd | true",
            "b > :ab | true",
            "flag = :true | true",
            "doc = :doc | true",
            "ss = :ba | true",
            "arr = :arr | true",
            "arr[2] = :kv | true",
            "doc.nested.deep = :three | true",
            "#m.k = :a | false",
            "#st = :active | true",
            // different types: never equal, never ordered, never an error
            "n = :hello | false",
            "n <> :hello | true",
            "n < :hello | false",
            "ss < :ba | false",
            "doc > :doc | false",
            // a missing attribute equals nothing and is unequal to everything
            "absent = :five | false",
            "absent <> :five | true",
            "absent < :five | false",
            "absent >= :five | false",
            "s.x = :hello | false",
            "arr[7] = :a | false",
            "doc[0] = :a | false",
            "n BETWEEN :one AND :six | true",
            "n between :five and :five | true",
            "n BETWEEN :six AND :seven | false",
            "s BETWEEN :one AND :six | false",
            "absent BETWEEN :one AND :six | false",
            "n IN (:one, :five) | true",
            "n in (:one, :six) | false",
            "absent IN (:one) | false",
            "attribute_exists(doc.nested.deep) | true",
            "attribute_exists(doc.nope) | false",
            "attribute_exists(arr[2].k) | true",
            "attribute_exists(arr[9]) | false",
            "attribute_exists(nul) | true",
            "attribute_not_exists(absent) | true",
            "attribute_not_exists(pk) | false",
            "attribute_type(ss, :typeSS) | true",
            "attribute_type(n, :typeSS) | false",
            "attribute_type(nul, :typeNULL) | true",
            "attribute_type(absent, :typeN) | false",
            "begins_with(s, :hello) | true",
            "begins_with(s, :world) | false",
            "begins_with(b, :ab) | true",
            "begins_with(n, :hello) | false",
            "contains(s, :world) | true",
            "contains(ss, :a) | true",
            "contains(ns, :one) | true",
            "contains(ns, :three) | false",
            "contains(arr, :a) | true",
            "contains(arr, :kv) | true",
            "contains(arr, :hello) | false",
            "contains(n, :one) | false",
            "contains(absent, :a) | false",
            "size(s) = :eleven | true",
            "size(ss) = :two | true",
            "size(ns) = :two | true",
            "size(bs) = :one | true",
            "size(arr) > :two | true",
            "size(doc) = :two | true",
            "size(b) = :three | true",
            "size(n) = :one | false",
            "size(absent) < :six | false",
            "NOT n = :five | false",
            "not attribute_exists(absent) | true",
            "n = :five AND s = :hello | false",
            "n = :five OR s = :hello | true",
            // precedence: NOT over AND over OR
            "n = :five OR n = :six AND s = :hello | true",
            "(n = :five OR n = :six) AND s = :hello | false",
            "NOT n = :five AND n = :six | false",
            "NOT (n = :five AND n = :six) | true",
            "(attribute_exists(pk)) AND (#st = :active) | true",
            "(attribute_exists(pk) AND (#st = :active)) | true",
            "(n) = :five | true",
            "size((s)) = :eleven | true",
    })
    void evaluates(String expression, boolean expected) {
        assertEquals(expected, eval(expression));
    }

    @Test
    void reportsTheTopLevelAttributesItReads() {
        Condition c = Expressions.condition("#st = :active AND size(doc.nested) > :one OR contains(arr[0], :a)", placeholders(),
                "FilterExpression");
        assertEquals(java.util.Set.of("status", "doc", "arr"), Expressions.topLevelNames(c));
        assertEquals(java.util.Set.of(), Expressions.topLevelNames(item -> true));
    }

    @Test
    void anAbsentItemIsEmpty() {
        Condition c = Expressions.condition("attribute_not_exists(pk)", Placeholders.none(), "ConditionExpression");
        assertTrue(c.test(Map.of()));
        assertFalse(c.test(ITEM));
    }

    @Test
    void nameWithADotIsOneAttributeWhenAliased() {
        Map<String, Value> item = item("a.b", s("flat"), "a", m("b", s("nested")));
        Placeholders p = Fx.placeholders(names("#dot", "a.b"), ":v", s("flat"));
        assertTrue(Expressions.condition("#dot = :v", p, "ConditionExpression").test(item));
        assertFalse(Expressions.condition("a.b = :v", Fx.placeholders(Map.of(), ":v", s("flat")), "ConditionExpression").test(item));
    }

    @Test
    void numbersCompareByValueNotText() {
        Map<String, Value> item = item("x", n("10"), "y", n("-0.001"), "z", n("123.45"));
        Placeholders p = Fx.values(":nine", n("9.99"), ":small", n("-0.01"), ":z", n("123.450"), ":big", n("1E3"));
        Condition c = Expressions.condition("x > :nine AND y > :small AND z = :z AND z < :big", p, "ConditionExpression");
        assertTrue(c.test(item));
    }

    @Test
    void keywordsAreCaseInsensitiveButFunctionNamesAreNot() {
        assertTrue(eval("n bEtWeEn :one aNd :six oR NoT n iN (:five)"));
        assertInvalid("Invalid ConditionExpression: Invalid function name; function: Attribute_Exists",
                () -> eval("Attribute_Exists(n)"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "foo | Syntax error; token: \"<EOF>\", near: \"foo\"",
            "a-b | Syntax error; token: \"-\", near: \"a-b\"",
            "attribute_not_exists( | Syntax error; token: \"<EOF>\", near: \"(\"",
            "contains (themes, :hello | Syntax error; token: \"<EOF>\", near: \":hello\"",
            "() | Syntax error; token: \")\", near: \"()\"",
            "n > 4 | Syntax error; token: \"4\", near: \"> 4\"",
            "!!! INVALID !!! | Syntax error; token: \"!\", near: \"!!\"",
            "n = :five AND | Syntax error; token: \"<EOF>\", near: \"AND\"",
            "n > between | Syntax error; token: \"between\", near: \"> between\"",
            "n in :one, :two | Syntax error; token: \":one\", near: \"in :one,\"",
            "n in (:one,) | Syntax error; token: \")\", near: \",)\"",
            "n > :five.stuff | Syntax error; token: \".\", near: \":five.stuff\"",
            "l[:one] > n | Syntax error; token: \":one\", near: \"[:one]\"",
            "size(n).b > n | Syntax error; token: \".\", near: \").b\"",
            "ü > n | Syntax error; token: \"ü\", near: \"ü >\"",
            "# > n | Syntax error; token: \"#\", near: \"# >\"",
            "status = :active | Attribute name is a reserved keyword; reserved keyword: status",
            "doc.Data = :a | Attribute name is a reserved keyword; reserved keyword: Data",
            "#nope = :a | An expression attribute name used in the document path is not defined; attribute name: #nope",
            "n = :nope | An expression attribute value used in expression is not defined; attribute value: :nope",
            "((n = :five)) | The expression has redundant parentheses;",
            "n = :five AND ((n = :five AND s = :hello)) | The expression has redundant parentheses;",
            "((n)) = :five | The expression has redundant parentheses;",
            "whatever(n) = :five | Invalid function name; function: whatever",
            "if_not_exists(n, :one) = :one | The function is not allowed in a condition expression; function: if_not_exists",
            "attribute_exists(n) = :true | The function is not allowed to be used this way in an expression; function: attribute_exists",
            "size(contains(s, :a)) > :one | The function is not allowed to be used this way in an expression; function: contains",
            "size(s) | The function is not allowed to be used this way in an expression; function: size",
            "attribute_exists(n, s) | Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2",
            "begins_with(s) | Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1",
            "n = n | The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [n]",
            "contains(doc.k, #m.k) | The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [doc, k]",
            "attribute_exists(:one) | Operator or function requires a document path; operator or function: attribute_exists",
            "begins_with(s, :five) | Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
            "attribute_type(s, :five) | Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
            "attribute_type(s, :hello) | Invalid attribute type name found; type: hello, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
            "size(:five) > n | Incorrect operand type for operator or function; operator or function: size, operand type: N",
            "n BETWEEN :six AND :five | The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:6}, upper bound operand: AttributeValue: {N:5}",
            "n BETWEEN :five AND :hello | The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {S:hello}",
    })
    void rejects(String expression, String message) {
        assertInvalid("Invalid ConditionExpression: " + message, () -> eval(expression));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // the first single condition with a problem decides, whatever the problem's rank elsewhere
            "n = n AND s = :nope | The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [n]",
            "s = :nope AND n = n | An expression attribute value used in expression is not defined; attribute value: :nope",
            // within one condition: undefined placeholder, then operand count
            "attribute_exists(#nope, :one) | An expression attribute name used in the document path is not defined; attribute name: #nope",
            // global ranks: reserved word before any single-condition problem, function misuse before reserved word
            "attribute_exists(views, #nope) | Attribute name is a reserved keyword; reserved keyword: views",
            "attribute_exists(n) = :one AND status = :a | The function is not allowed to be used this way in an expression; function: attribute_exists",
            "whatever((:one)) > ((n)) | The expression has redundant parentheses;",
    })
    void reportsProblemsInDynamoDbsOrder(String expression, String message) {
        assertInvalid("Invalid ConditionExpression: " + message, () -> eval(expression));
    }

    @Test
    void kindPrefixesTheMessage() {
        assertInvalid("Invalid FilterExpression: The expression can not be empty;",
                () -> Expressions.condition("", Placeholders.none(), "FilterExpression"));
        assertInvalid("Invalid ConditionExpression: The expression can not be empty;",
                () -> Expressions.condition("", Placeholders.none(), "ConditionExpression"));
    }

    @Test
    void inTakesAtMostAHundredOperands() {
        StringBuilder ok = new StringBuilder("n IN (:v0");
        Object[] values = new Object[202];
        for (int i = 0; i < 101; i++) {
            values[2 * i] = ":v" + i;
            values[2 * i + 1] = n(Integer.toString(i));
            if (i > 0 && i < 100) {
                ok.append(", :v").append(i);
            }
        }
        String hundred = ok + ")";
        String hundredAndOne = ok + ", :v100)";
        assertTrue(Expressions.condition(hundred, Fx.values(values), "ConditionExpression").test(ITEM));
        assertInvalid("Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101",
                () -> Expressions.condition(hundredAndOne, Fx.values(values), "ConditionExpression"));
    }

    @Test
    void expressionsAreLimitedToFourKilobytes() {
        String longName = "a".repeat(4097 - " = :v".length());
        assertInvalid("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097",
                () -> Expressions.condition(longName + " = :v", Fx.values(":v", s("x")), "ConditionExpression"));
    }

    @Test
    void deepNestingIsASyntaxErrorNotAStackOverflow() {
        String deep = "NOT ".repeat(500) + "n = :five";
        assertInvalid("Invalid ConditionExpression: Syntax error; token: \"NOT\", near: \"NOT NOT NOT\"",
                () -> eval(deep));
    }

    @Test
    void parsedConditionIsSharedSafelyAcrossThreads() throws InterruptedException {
        Condition c = Expressions.condition("n BETWEEN :one AND :six AND contains(ss, :a)", placeholders(), "ConditionExpression");
        boolean[] results = new boolean[8];
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            int slot = t;
            threads[t] = new Thread(() -> {
                boolean all = true;
                for (int i = 0; i < 10_000; i++) {
                    all &= c.test(ITEM);
                }
                results[slot] = all;
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (boolean r : results) {
            assertTrue(r);
        }
    }
}
