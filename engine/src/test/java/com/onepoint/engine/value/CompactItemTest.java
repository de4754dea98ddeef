package com.onepoint.engine.value;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A compacted item is the same map as the one it was built from: same entries, same order, immutable. */
class CompactItemTest {
    @Test
    void keepsEntriesAndTheirOrder() {
        Map<String, Value> item = new LinkedHashMap<>();
        item.put("id", new Value.S("d-1"));
        item.put("points", Value.N.of(120));
        item.put("memberId", new Value.S("m-1"));
        Map<String, Value> compact = CompactItem.of(item);
        assertTrue(compact instanceof CompactItem);
        assertEquals(item, compact);
        assertEquals(compact, item);
        assertEquals(item.hashCode(), compact.hashCode());
        assertEquals(List.of("id", "points", "memberId"), new ArrayList<>(compact.keySet()));
        assertEquals(Value.N.of(120), compact.get(new String("points")));
        assertNull(compact.get("status"));
        assertFalse(compact.containsKey("status"));
        assertSame(compact, CompactItem.of(compact));
        assertThrows(UnsupportedOperationException.class, () -> compact.put("x", Value.Null.INSTANCE));
    }

    @Test
    void leavesLargeItemsAsTheyAre() {
        Map<String, Value> item = new LinkedHashMap<>();
        for (int i = 0; i <= CompactItem.MAX_ATTRIBUTES; i++) {
            item.put("a" + i, Value.N.of(i));
        }
        assertSame(item, CompactItem.of(item));
    }
}
