package com.onepoint.dashboard;

import com.onepoint.shared.table.DashboardTable;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deal sort keys order by creation time whatever precision Instant.toString() happened to print. */
class DealSortKeyTest {
    @Test
    void sortKeysSortInTimeOrder() {
        List<String> createdInOrder = List.of("2026-11-25T00:00:05Z", "2026-11-25T00:00:05.000000500Z",
                "2026-11-25T00:00:05.120Z", "2026-11-25T00:00:05.120500Z", "2026-11-25T00:00:06Z");
        assertTrue("2026-11-25T00:00:05Z".compareTo("2026-11-25T00:00:05.120Z") > 0,
                "the raw strings do not sort in time order, which is why the keys normalise them");

        List<String> keys = new ArrayList<>();
        for (String createdAt : createdInOrder) {
            keys.add(DashboardTable.dealSortKey(Instant.parse(createdAt), "d"));
        }
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(null);

        assertEquals(keys, sorted);
        assertEquals("DEAL#2026-11-25T00:00:05.120000000Z#d", keys.get(2));
    }

    @Test
    void pageTokensRoundTripDealKeysOnly() {
        String key = DashboardTable.dealSortKey(Instant.parse("2026-11-25T00:00:05.120Z"), "0f8fad5b-d9cb-469f-a165-70867728950e");

        assertEquals(key, PageToken.decode(PageToken.encode(key)));
    }
}
