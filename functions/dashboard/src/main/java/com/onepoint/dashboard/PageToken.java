package com.onepoint.dashboard;

import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.table.DashboardTable;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code nextToken} of the dashboard's deal list: the sort key of the last deal returned, base64url.
 * It is a position only; the member always comes from the path, so a token cannot reach another member's deals.
 */
final class PageToken {
    static final String FIELD = "nextToken";
    private static final int MAX_LENGTH = 512;

    private PageToken() {
    }

    static String encode(String dealSortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(dealSortKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The sort key to continue after; a token this API did not issue is a 400 naming {@value #FIELD}. */
    static String decode(String token) {
        if (token.length() > MAX_LENGTH) {
            throw ApiException.validation(FIELD, "is not a token this API issued");
        }
        String sortKey;
        try {
            sortKey = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(FIELD, "is not a token this API issued");
        }
        if (!DashboardTable.isDealSortKey(sortKey)) {
            throw ApiException.validation(FIELD, "is not a token this API issued");
        }
        return sortKey;
    }
}
