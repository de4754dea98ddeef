package com.onepoint.engine.expr;

import com.onepoint.engine.value.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.onepoint.engine.expr.Fx.assertInvalid;
import static com.onepoint.engine.expr.Fx.item;
import static com.onepoint.engine.expr.Fx.l;
import static com.onepoint.engine.expr.Fx.m;
import static com.onepoint.engine.expr.Fx.n;
import static com.onepoint.engine.expr.Fx.names;
import static com.onepoint.engine.expr.Fx.s;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlaceholdersAndPathTest {
    @Test
    void placeholdersAreSharedByAllExpressionsOfARequest() {
        Placeholders p = Fx.placeholders(names("#a", "a", "#b", "b", "#c", "c"), ":v", s("x"), ":w", s("y"));
        Expressions.condition("#a = :v", p, "ConditionExpression");
        Expressions.update("SET #b = :w", p);
        Expressions.projection("#c", p);
        assertDoesNotThrow(p::requireAllUsed);
        assertEquals(Set.of("#a", "#b", "#c"), p.usedNames());
        assertEquals(Set.of(":v", ":w"), p.usedValues());
    }

    @Test
    void unusedNamesAreReportedInTheOrderGiven() {
        Placeholders p = Fx.placeholders(names("#a", "a", "#used", "u", "#b", "b"), ":v", s("x"), ":unused", s("y"));
        Expressions.condition("#used = :v", p, "ConditionExpression");
        assertInvalid("Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}", p::requireAllUsed);
    }

    @Test
    void unusedValuesAreReportedAfterNames() {
        Placeholders p = Fx.placeholders(names("#used", "u"), ":v", s("x"), ":unused", s("y"));
        Expressions.condition("#used = :v", p, "ConditionExpression");
        assertInvalid("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}", p::requireAllUsed);
    }

    @Test
    void aFailedLookupUsesNothing() {
        Placeholders p = Placeholders.none();
        assertThrows(RuntimeException.class, () -> Expressions.condition("#a = :v", p, "ConditionExpression"));
        assertTrue(p.usedNames().isEmpty());
        assertDoesNotThrow(p::requireAllUsed);
    }

    @Test
    void markUsedReplaysACachedExpression() {
        Placeholders p = Fx.placeholders(names("#a", "a"), ":v", s("x"));
        p.markUsed(List.of("#a"), List.of(":v"));
        assertDoesNotThrow(p::requireAllUsed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "a | ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"",
            "# | ExpressionAttributeNames contains invalid key: Syntax error; key: \"#\"",
            "#a-b | ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a-b\"",
    })
    void rejectsMalformedNameKeys(String key, String message) {
        assertInvalid(message, () -> new Placeholders(Map.of(key, "x"), Map.of()));
    }

    @Test
    void rejectsMalformedValueKeys() {
        assertInvalid("ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"",
                () -> new Placeholders(Map.of(), Map.of("v", s("x"))));
    }

    @Test
    void reservedWordListIsDynamoDbs() {
        assertEquals(573, ReservedWords.count());
        for (String w : List.of("status", "NAME", "Date", "value", "data", "count", "size", "timestamp", "user", "key", "ttl", "items")) {
            assertTrue(ReservedWords.isReserved(w), w);
        }
        for (String w : List.of("pk", "sk", "id", "email", "createdAt")) {
            assertTrue(!ReservedWords.isReserved(w), w);
        }
    }

    @Test
    void pathRendersAsDynamoDbDoes() {
        assertEquals("[a, b, [0], c]", Path.of(List.of("a", "b", 0, "c")).toString());
        assertEquals("[a]", Path.of("a").toString());
    }

    @Test
    void pathResolvesIntoMapsAndLists() {
        Map<String, Value> item = item("a", m("b", l(n("1"), m("c", s("deep")))));
        assertEquals(s("deep"), Path.of(List.of("a", "b", 1, "c")).get(item));
        assertNull(Path.of(List.of("a", "b", 5)).get(item));
        assertNull(Path.of(List.of("a", 0)).get(item), "an index into a map finds nothing");
        assertNull(Path.of(List.of("a", "b", "c")).get(item), "a key into a list finds nothing");
        assertNull(Path.of("missing").get(item));
    }

    @Test
    void pathEqualityIsByElements() {
        assertEquals(Path.of(List.of("a", 1)), Path.of(List.of("a", 1)));
        assertEquals(Path.of(List.of("a", 1)).hashCode(), Path.of(List.of("a", 1)).hashCode());
        assertNotEquals(Path.of(List.of("a", 1)), Path.of(List.of("a", "1")));
        assertEquals("a", Path.of(List.of("a", 1)).topName());
        assertEquals(List.of("a", 1), Path.of(List.of("a", 1)).elements());
        assertThrows(IllegalArgumentException.class, () -> Path.of(List.of(0, "a")));
    }

    @Test
    void numberTextComparesByValue() {
        String[] ascending = {"-100", "-10.5", "-10", "-9.99", "-0.5", "-0.05", "0", "0.001", "0.5", "1", "1.5", "1.55", "9", "10", "10.01", "100"};
        for (int i = 0; i < ascending.length; i++) {
            for (int j = 0; j < ascending.length; j++) {
                assertEquals(Integer.signum(Integer.compare(i, j)), Integer.signum(Compare.numbers(ascending[i], ascending[j])),
                        ascending[i] + " vs " + ascending[j]);
            }
        }
    }
}
