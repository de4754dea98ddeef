package com.onepoint.merchant;

import com.onepoint.shared.domain.ApiKeys;
import com.onepoint.shared.domain.Merchant;
import com.onepoint.shared.domain.Rate;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.table.MerchantsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.util.Map;

/** Merchant registration and lookup. */
public final class MerchantService {
    private final DynamoDbClient db;
    private final String merchantsTable;
    private final Clock clock;

    public MerchantService(DynamoDbClient db, String merchantsTable, Clock clock) {
        this.db = db;
        this.merchantsTable = merchantsTable;
        this.clock = clock;
    }

    /** A newly registered merchant and its API key, which is returned this once and stored only as a hash. */
    public record Registration(String merchantId, String name, Rate earnRate, Rate settlementRate, String createdAt,
                               String apiKey) {
    }

    public Registration register(String merchantId, String name, Rate earnRate, Rate settlementRate) {
        Merchant merchant = new Merchant(merchantId, name, earnRate, settlementRate, clock.instant().toString());
        String apiKey = ApiKeys.generate();
        try {
            db.putItem(b -> b.tableName(merchantsTable)
                    .item(MerchantsTable.toItem(merchant, ApiKeys.sha256Hex(apiKey)))
                    .conditionExpression("attribute_not_exists(merchantId)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ApiException(409, "MERCHANT_EXISTS", "merchant " + merchantId + " already exists",
                    Map.of("merchantId", merchantId));
        }
        return new Registration(merchantId, name, earnRate, settlementRate, merchant.createdAt(), apiKey);
    }

    /** A new key replaces the old one at once: only the newest key's hash is stored, so the old one stops working. */
    public record Rotation(String merchantId, String apiKey, String rotatedAt) {
    }

    public Rotation rotateKey(String merchantId) {
        String apiKey = ApiKeys.generate();
        String now = clock.instant().toString();
        try {
            db.updateItem(b -> b.tableName(merchantsTable)
                    .key(Items.key(MerchantsTable.MERCHANT_ID, merchantId))
                    .updateExpression("SET apiKeyHash = :h, keyRotatedAt = :now")
                    .conditionExpression("attribute_exists(merchantId)")
                    .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(ApiKeys.sha256Hex(apiKey)),
                            ":now", AttributeValue.fromS(now))));
        } catch (ConditionalCheckFailedException e) {
            throw notFound(merchantId);
        }
        return new Rotation(merchantId, apiKey, now);
    }

    public Merchant get(String merchantId) {
        Map<String, AttributeValue> item = db.getItem(b -> b.tableName(merchantsTable)
                .key(Items.key(MerchantsTable.MERCHANT_ID, merchantId))).item();
        if (item == null || item.isEmpty()) {
            throw notFound(merchantId);
        }
        return MerchantsTable.fromItem(item);
    }

    private static ApiException notFound(String merchantId) {
        return new ApiException(404, "MERCHANT_NOT_FOUND", "merchant " + merchantId + " does not exist",
                Map.of("merchantId", merchantId));
    }
}
