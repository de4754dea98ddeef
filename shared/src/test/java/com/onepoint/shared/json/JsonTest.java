package com.onepoint.shared.json;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.Rate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OnePoint's JSON against Jackson's reading of the same text, and what it writes. */
class JsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "[]", "0", "-0", "1", "-12", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "123456789012345678901234567890", "0.01", "1.0", "-1.5e3", "2E-2", "1e400", "true", "false", "null",
            "\"\"", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u20AC\\ud83d\\ude00\"", "\"한글 🙂\"",
            " {\"a\" : [1, 2.5, {\"b\": null}], \"c\": \"x\", \"a2\": {}}\n",
            "{\"memberId\":\"0001\",\"merchantId\":\"20\",\"type\":\"earn\",\"amount\":100000}",
            "{\"dup\":1,\"dup\":2}", "[[[[[[[[[[1]]]]]]]]]]"})
    void readsWhatJacksonReads(String text) throws Exception {
        assertEquals(longs(JACKSON.readValue(text, Object.class)), Json.parse(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", " ", "{", "}", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "01", "1.", ".5", "-",
            "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "tru", "nul", "\"abc", "\"a\u0001b\"", "\"\\x\"",
            "\"\\u12\"", "\"\\u12G4\"", "{} {}", "{}x", "[1] 2", "1 2", "// c\n1", "\"a\"\"b\""})
    void refusesWhatIsNotOneJsonValue(String text) {
        assertThrows(JsonSyntaxException.class, () -> Json.parse(text), text);
        assertThrows(Exception.class, () -> JACKSON.readValue(text, Object.class), "Jackson accepts " + text);
    }

    @Test
    void nestingAndNumbersAreBounded() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertEquals(List.of(), flatten(Json.parse(deep)));
        String deeper = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        assertThrows(JsonSyntaxException.class, () -> Json.parse(deeper));
        assertThrows(JsonSyntaxException.class, () -> Json.parse("1" + "0".repeat(JsonReader.MAX_NUMBER_LENGTH)));
        assertThrows(JsonSyntaxException.class, () -> Json.parse("{\"a\":" + "[".repeat(100_000)));
    }

    @Test
    void numbersKeepTheirKind() {
        assertEquals(Long.class, Json.parse("100000").getClass());
        assertEquals(BigInteger.class, Json.parse("9223372036854775808").getClass());
        assertEquals(new BigDecimal("1.0"), Json.parse("1.0"), "1.0 stays a decimal, so a whole-number field refuses it");
        assertEquals(new BigDecimal("0.1"), Json.parse("0.1"), "never a binary double");
    }

    @Test
    void writesWhatJacksonReadsBack() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("s", "quote \" backslash \\ slash / newline \n tab \t bell \u0007 é 🙂");
        value.put("n", -12L);
        value.put("big", new BigInteger("123456789012345678901234567890"));
        value.put("d", new BigDecimal("1E+3"));
        value.put("b", true);
        value.put("list", Arrays.asList(1, null, "x"));
        value.put("nested", Map.of("k", List.of()));
        value.put("absent", null);
        String text = Json.write(value);

        @SuppressWarnings("unchecked")
        Map<String, Object> back = JACKSON.readValue(text, Map.class);
        assertEquals(value.get("s"), back.get("s"));
        assertEquals(1000, back.get("d"), "plain, never 1E+3");
        assertTrue(text.contains("\"d\":1000"), text);
        assertEquals(new BigInteger("123456789012345678901234567890"), back.get("big"));
        assertEquals(Arrays.asList(1, null, "x"), back.get("list"));
        assertTrue(!back.containsKey("absent"), "a null map value is left out");
        assertEquals(value.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList(),
                List.copyOf(back.keySet()), "map order is kept");
        assertTrue(text.contains("\\u0007"), "control characters are escaped");
    }

    record Inner(String a, Long n) {
    }

    record Shown(String id, @JsonIgnore String secret, DealType type, Rate rate, Instant at, Inner inner,
                 @JsonIgnore long refunded, List<Inner> items) {
        @JsonProperty("refunded")
        Long refundedShown() {
            return refunded == 0 ? null : refunded;
        }

        @JsonProperty("extra")
        String extra() {
            return "e";
        }

        @JsonIgnore
        public long notShown() {
            return 1;
        }
    }

    @Test
    void recordsAreWrittenInDeclarationOrderWithTheirAnnotations() {
        Shown shown = new Shown("d1", "k", DealType.EARN, Rate.of("0.01"), Instant.parse("2026-12-01T00:00:00Z"),
                new Inner("q", null), 5, List.of(new Inner("r", 2L)));
        assertEquals("{\"id\":\"d1\",\"type\":\"earn\",\"rate\":0.01,\"at\":\"2026-12-01T00:00:00Z\",\"inner\":{\"a\":\"q\"},"
                + "\"refunded\":5,\"items\":[{\"a\":\"r\",\"n\":2}],\"extra\":\"e\"}", Json.write(shown));
        Shown none = new Shown("d2", null, DealType.USE, Rate.of("1"), null, null, 0, List.of());
        assertEquals("{\"id\":\"d2\",\"type\":\"use\",\"rate\":1,\"items\":[],\"extra\":\"e\"}", Json.write(none));
    }

    @Test
    void theCanonicalFormSortsNamesAndKeepsNulls() {
        assertEquals("{\"a\":null,\"b\":{\"x\":[2,{\"p\":0,\"q\":0}],\"y\":1}}",
                Json.canonical(Json.parse("{\"b\":{\"y\":1,\"x\":[2,{\"q\":0,\"p\":0}]},\"a\":null}")));
    }

    record Detail(String id, int schemaVersion, long points, Long amount, boolean flag, BigDecimal rate, Inner inner) {
    }

    @Test
    void recordsAreReadByComponentName() {
        Detail d = Json.toRecord(Json.parse("{\"id\":\"x\",\"schemaVersion\":1,\"points\":5,\"rate\":0.5,"
                + "\"inner\":{\"a\":\"b\",\"n\":3},\"unknown\":[1]}"), Detail.class);
        assertEquals(new Detail("x", 1, 5, null, false, new BigDecimal("0.5"), new Inner("b", 3L)), d);
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> Json.toRecord(Json.parse("{\"points\":\"5\"}"), Detail.class));
        assertTrue(wrong.getMessage().contains("points"), wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.toRecord(Json.parse("{\"points\":1.5}"), Detail.class));
        assertThrows(IllegalArgumentException.class, () -> Json.toRecord(Json.parse("[]"), Detail.class));
    }

    @Test
    void whatCannotBeWrittenIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
    }

    /** Jackson's whole numbers as OnePoint's: Long where they fit. */
    private static Object longs(Object value) {
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, longs(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(JsonTest::longs).toList();
        }
        return value;
    }

    private static List<Object> flatten(Object value) {
        Object v = value;
        while (v instanceof List<?> l && !l.isEmpty()) {
            v = l.get(0);
        }
        return List.of();
    }
}
