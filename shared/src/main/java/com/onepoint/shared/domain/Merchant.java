package com.onepoint.shared.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * A member merchant: earns at {@code earnRate}, is settled at {@code settlementRate}. {@code apiKeyHash} (SHA-256 of
 * its API key, hex; the key itself is never stored) and {@code keyRotatedAt} are stored, never shown.
 */
public record Merchant(String merchantId, String name, Rate earnRate, Rate settlementRate, Instant createdAt,
                       @JsonIgnore String apiKeyHash, @JsonIgnore Instant keyRotatedAt) {

    public static Builder builder() {
        return new Builder();
    }

    /** For the table schema, which fills an item's attributes one at a time. */
    public static final class Builder {
        private String merchantId;
        private String name;
        private Rate earnRate;
        private Rate settlementRate;
        private Instant createdAt;
        private String apiKeyHash;
        private Instant keyRotatedAt;

        private Builder() {
        }

        public Builder merchantId(String v) { merchantId = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder earnRate(Rate v) { earnRate = v; return this; }
        public Builder settlementRate(Rate v) { settlementRate = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder apiKeyHash(String v) { apiKeyHash = v; return this; }
        public Builder keyRotatedAt(Instant v) { keyRotatedAt = v; return this; }

        public Merchant build() {
            return new Merchant(merchantId, name, earnRate, settlementRate, createdAt, apiKeyHash, keyRotatedAt);
        }
    }
}
