package com.onepoint.shared.table;

import com.onepoint.shared.domain.Merchant;
import com.onepoint.shared.domain.Rate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

import static com.onepoint.shared.dynamo.Items.decimal;
import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.s;
import static com.onepoint.shared.dynamo.Items.str;

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

    private MerchantsTable() {
    }

    public static Map<String, AttributeValue> toItem(Merchant m, String apiKeyHash) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(MERCHANT_ID, s(m.merchantId()));
        item.put(NAME, s(m.name()));
        item.put(EARN_RATE, n(m.earnRate().toString()));
        item.put(SETTLEMENT_RATE, n(m.settlementRate().toString()));
        item.put(API_KEY_HASH, s(apiKeyHash));
        item.put(CREATED_AT, s(m.createdAt()));
        return item;
    }

    public static Merchant fromItem(Map<String, AttributeValue> item) {
        return new Merchant(str(item, MERCHANT_ID), str(item, NAME), Rate.of(decimal(item, EARN_RATE)),
                Rate.of(decimal(item, SETTLEMENT_RATE)), str(item, CREATED_AT));
    }
}
