package com.onepoint.shared.domain;

/** A member merchant: earns at {@code earnRate}, is settled at {@code settlementRate}. */
public record Merchant(String merchantId, String name, Rate earnRate, Rate settlementRate, String createdAt) {
}
