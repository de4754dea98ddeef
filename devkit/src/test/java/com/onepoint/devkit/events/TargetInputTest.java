package com.onepoint.devkit.events;

import com.onepoint.devkit.Props;
import com.onepoint.devkit.UnsupportedTemplateException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetInputTest {
    private static final String EVENT = "{\"detail-type\":\"DealRecorded\",\"resources\":[\"r0\",\"r1\"],"
            + "\"detail\":{\"deal\":{\"points\":5}}}";

    private static String apply(Map<String, Object> props) {
        return TargetInput.of(new Props(props, "T")).apply(EVENT);
    }

    @Test
    void wholeEventConstantInputAndInputPaths() {
        assertTrue(TargetInput.of(new Props(Map.of(), "T")).isWholeEvent());
        assertEquals(EVENT, apply(Map.of()));
        assertEquals("{\"job\": 1}", apply(Map.of("Input", "{\"job\": 1}")));
        assertEquals("{\"deal\":{\"points\":5}}", apply(Map.of("InputPath", "$.detail")));
        assertEquals("5", apply(Map.of("InputPath", "$.detail.deal.points")));
        assertEquals("\"DealRecorded\"", apply(Map.of("InputPath", "$.detail-type")));
        assertEquals("\"DealRecorded\"", apply(Map.of("InputPath", "$['detail-type']")));
        assertEquals("\"r1\"", apply(Map.of("InputPath", "$.resources[1]")));
        assertEquals("null", apply(Map.of("InputPath", "$.detail.missing")));
        assertEquals(EVENT.replace(" ", ""), apply(Map.of("InputPath", "$")).replace(" ", ""));
    }

    @Test
    void unsupportedOrInvalidInputsAreNamed() {
        assertEquals("T.InputPath: JSONPath not supported locally: $..points",
                assertThrows(UnsupportedTemplateException.class, () -> apply(Map.of("InputPath", "$..points"))).getMessage());
        assertThrows(UnsupportedTemplateException.class, () -> apply(Map.of("Input", "{not json")));
        assertThrows(UnsupportedTemplateException.class, () -> apply(Map.of("Input", "{}", "InputPath", "$")));
    }
}
