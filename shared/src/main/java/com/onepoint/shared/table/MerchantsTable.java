package com.onepoint.shared.table;

import com.onepoint.shared.domain.Merchant;
import com.onepoint.shared.domain.Rate;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.time.Instant;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;

/** Table of merchants, key {@code merchantId}. Its name comes from the MERCHANTS_TABLE environment variable. */
public final class MerchantsTable {
    public static final String ENV = "MERCHANTS_TABLE";
    public static final String MERCHANT_ID = "merchantId";
    public static final String NAME = "name";
    public static final String EARN_RATE = "earnRate";
    public static final String SETTLEMENT_RATE = "settlementRate";
    /** SHA-256 of the merchant's API key, hex; the key itself is never stored. */
    public static final String API_KEY_HASH = "apiKeyHash";
    /** Global secondary index on {@link #API_KEY_HASH}: how the authorizer finds the merchant of a key. */
    public static final String BY_API_KEY_HASH = "byApiKeyHash";
    public static final String CREATED_AT = "createdAt";
    public static final String KEY_ROTATED_AT = "keyRotatedAt";

    public static final TableSchema<Merchant> SCHEMA = StaticImmutableTableSchema.builder(Merchant.class, Merchant.Builder.class)
            .newItemBuilder(Merchant::builder, Merchant.Builder::build)
            .addAttribute(String.class, a -> a.name(MERCHANT_ID).getter(Merchant::merchantId)
                    .setter(Merchant.Builder::merchantId).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(NAME).getter(Merchant::name).setter(Merchant.Builder::name))
            .addAttribute(Rate.class, a -> a.name(EARN_RATE).getter(Merchant::earnRate).setter(Merchant.Builder::earnRate)
                    .attributeConverter(Converters.RATE))
            .addAttribute(Rate.class, a -> a.name(SETTLEMENT_RATE).getter(Merchant::settlementRate)
                    .setter(Merchant.Builder::settlementRate).attributeConverter(Converters.RATE))
            .addAttribute(Instant.class, a -> a.name(CREATED_AT).getter(Merchant::createdAt)
                    .setter(Merchant.Builder::createdAt).attributeConverter(Converters.INSTANT))
            .addAttribute(String.class, a -> a.name(API_KEY_HASH).getter(Merchant::apiKeyHash)
                    .setter(Merchant.Builder::apiKeyHash).tags(secondaryPartitionKey(BY_API_KEY_HASH)))
            .addAttribute(Instant.class, a -> a.name(KEY_ROTATED_AT).getter(Merchant::keyRotatedAt)
                    .setter(Merchant.Builder::keyRotatedAt).attributeConverter(Converters.INSTANT))
            .build();

    private MerchantsTable() {
    }
}
