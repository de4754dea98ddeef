package com.onepoint.shared.domain;

import com.onepoint.shared.http.ApiException;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A merchant's receipt number held by the one SUCCESS (or later CANCELLED) deal it was recorded with. The item is put
 * with attribute_not_exists in the deal's own transaction, so two deals can never hold one receipt.
 */
public record Receipt(String merchantId, String receiptId, String dealId, Instant createdAt) {
    public static final int MAX_LENGTH = 64;
    private static final Pattern RECEIPT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    public static boolean isValid(String value) {
        return value != null && RECEIPT_ID.matcher(value).matches();
    }

    /** 400 VALIDATION_FAILED on {@code field} unless 1–64 characters of [A-Za-z0-9_.:-]. */
    public static String require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.validation(field, "is required");
        }
        if (!isValid(value)) {
            throw ApiException.validation(field, "must be 1-64 characters of A-Z, a-z, 0-9, '_', '.', ':' or '-'");
        }
        return value;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String merchantId;
        private String receiptId;
        private String dealId;
        private Instant createdAt;

        private Builder() {
        }

        public Builder merchantId(String v) { merchantId = v; return this; }
        public Builder receiptId(String v) { receiptId = v; return this; }
        public Builder dealId(String v) { dealId = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }

        public Receipt build() {
            return new Receipt(merchantId, receiptId, dealId, createdAt);
        }
    }
}
