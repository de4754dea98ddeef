package com.onepoint.shared.domain;

import com.onepoint.shared.http.ApiException;

import java.util.regex.Pattern;

/** Member and merchant ids are chosen by the caller: 1–64 characters of [A-Za-z0-9_-]. */
public final class Ids {
    public static final int MAX_LENGTH = 64;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Ids() {
    }

    public static boolean isValid(String value) {
        return value != null && ID.matcher(value).matches();
    }

    public static String require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.validation(field, "is required");
        }
        if (!isValid(value)) {
            throw ApiException.validation(field, "must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'");
        }
        return value;
    }
}
