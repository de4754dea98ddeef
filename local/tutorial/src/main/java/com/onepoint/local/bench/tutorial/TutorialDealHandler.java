package com.onepoint.local.bench.tutorial;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * POST /deals as a getting-started tutorial writes it: {@code DynamoDbClient.create()} (region, credentials and HTTP
 * client found on the classpath and in the environment), a Jackson-bound request class, one TransactWriteItems
 * (the deal, and the member's balance), a JSON answer. No validation, no idempotency, no logging: the yardstick the
 * deal function's cold start is compared with (ColdStartBenchmark), never deployed.
 */
public class TutorialDealHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final DynamoDbClient DYNAMO_DB = DynamoDbClient.create();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String dealsTable = System.getenv("DEALS_TABLE");
    private final String pointsTable = System.getenv("POINTS_TABLE");

    /** The request body, bound by Jackson. */
    public static class DealRequest {
        public String memberId;
        public String merchantId;
        public String type;
        public long amount;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        try {
            DealRequest request = MAPPER.readValue(event.getBody(), DealRequest.class);
            String dealId = UUID.randomUUID().toString();
            long points = request.amount / 100; // a fixed 1% rate: the tutorial reads no merchant
            DYNAMO_DB.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(dealsTable).item(Map.of(
                            "dealId", AttributeValue.fromS(dealId),
                            "memberId", AttributeValue.fromS(request.memberId),
                            "merchantId", AttributeValue.fromS(request.merchantId),
                            "type", AttributeValue.fromS(request.type),
                            "amount", AttributeValue.fromN(Long.toString(request.amount)),
                            "points", AttributeValue.fromN(Long.toString(points)),
                            "createdAt", AttributeValue.fromS(Instant.now().toString())))
                            .conditionExpression("attribute_not_exists(dealId)").build()).build(),
                    TransactWriteItem.builder().update(Update.builder().tableName(pointsTable)
                            .key(Map.of("memberId", AttributeValue.fromS(request.memberId)))
                            .updateExpression("ADD balance :p")
                            .expressionAttributeValues(Map.of(":p", AttributeValue.fromN(Long.toString(points))))
                            .build()).build())
                    .build());
            return new APIGatewayProxyResponseEvent().withStatusCode(201)
                    .withHeaders(Map.of("Content-Type", "application/json"))
                    .withBody(MAPPER.writeValueAsString(Map.of("dealId", dealId, "points", points)));
        } catch (Exception e) {
            return new APIGatewayProxyResponseEvent().withStatusCode(500).withBody("{\"message\":\"" + e + "\"}");
        }
    }
}
