package com.onepoint.merchant;

import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.domain.ApiKeys;
import com.onepoint.shared.domain.Merchant;
import com.onepoint.shared.domain.Rate;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.table.MerchantsTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** Merchant registration and lookup. */
public final class MerchantService {
    private static final Expression NEW_MERCHANT = Expression.builder()
            .expression("attribute_not_exists(#id)").putExpressionName("#id", MerchantsTable.MERCHANT_ID).build();

    private final DynamoDbClient db;
    private final DynamoDbTable<Merchant> merchants;
    private final String merchantsTable;
    private final Clock clock;

    public MerchantService(DynamoDbClient db, String merchantsTable, Clock clock) {
        this.db = db;
        this.merchants = AwsClients.enhanced(db).table(merchantsTable, MerchantsTable.SCHEMA);
        this.merchantsTable = merchantsTable;
        this.clock = clock;
    }

    /** A newly registered merchant and its API key, which is returned this once and stored only as a hash. */
    public record Registration(String merchantId, String name, Rate earnRate, Rate settlementRate, Instant createdAt,
                               String apiKey) {
    }

    public Registration register(String merchantId, String name, Rate earnRate, Rate settlementRate) {
        String apiKey = ApiKeys.generate();
        Merchant merchant = new Merchant(merchantId, name, earnRate, settlementRate, clock.instant(),
                ApiKeys.sha256Hex(apiKey), null);
        try {
            merchants.putItem(PutItemEnhancedRequest.builder(Merchant.class).item(merchant)
                    .conditionExpression(NEW_MERCHANT).build());
        } catch (ConditionalCheckFailedException e) {
            throw new ApiException(409, "MERCHANT_EXISTS", "merchant " + merchantId + " already exists",
                    Map.of("merchantId", merchantId));
        }
        return new Registration(merchantId, name, earnRate, settlementRate, merchant.createdAt(), apiKey);
    }

    /** A new key replaces the old one at once: only the newest key's hash is stored, so the old one stops working. */
    public record Rotation(String merchantId, String apiKey, Instant rotatedAt) {
    }

    /** An UpdateItem, not a put: it changes two attributes of an existing merchant and must not create one. */
    public Rotation rotateKey(String merchantId) {
        String apiKey = ApiKeys.generate();
        Instant now = clock.instant();
        try {
            db.updateItem(b -> b.tableName(merchantsTable)
                    .key(Items.key(MerchantsTable.MERCHANT_ID, merchantId))
                    .updateExpression("SET #hash = :h, #rotatedAt = :now")
                    .conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(Map.of("#hash", MerchantsTable.API_KEY_HASH,
                            "#rotatedAt", MerchantsTable.KEY_ROTATED_AT, "#id", MerchantsTable.MERCHANT_ID))
                    .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(ApiKeys.sha256Hex(apiKey)),
                            ":now", AttributeValue.fromS(now.toString()))));
        } catch (ConditionalCheckFailedException e) {
            throw notFound(merchantId);
        }
        return new Rotation(merchantId, apiKey, now);
    }

    public Merchant get(String merchantId) {
        Merchant merchant = merchants.getItem(Key.builder().partitionValue(merchantId).build());
        if (merchant == null) {
            throw notFound(merchantId);
        }
        return merchant;
    }

    private static ApiException notFound(String merchantId) {
        return new ApiException(404, "MERCHANT_NOT_FOUND", "merchant " + merchantId + " does not exist",
                Map.of("merchantId", merchantId));
    }
}
