package com.onepoint.merchant;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.ApiKeys;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.table.MerchantsTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.get;
import static com.onepoint.devkit.ApiEvents.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MerchantHandlerTest {
    private static LocalDynamo dynamo;
    private static MerchantHandler handler;
    private static String merchantsTable;

    @BeforeAll
    static void start() {
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"));
        dynamo = LocalDynamo.start(template);
        Env env = new Env(template.functionEnvironment("MerchantFunction", dynamo));
        merchantsTable = env.require(MerchantsTable.ENV);
        handler = new MerchantHandler(env, dynamo.client(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @ParameterizedTest
    @Event(value = "events/register-merchant.json", type = APIGatewayProxyRequestEvent.class)
    void registerFixtureAppliesDefaultRatesAndShowsTheKeyOnce(APIGatewayProxyRequestEvent event) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);

        assertEquals(201, response.getStatusCode(), response.getBody());
        JsonNode merchant = body(response);
        assertEquals("20", merchant.get("merchantId").asText());
        assertEquals("0.01", merchant.get("earnRate").asText());
        assertEquals("0.98", merchant.get("settlementRate").asText());
        String apiKey = merchant.get("apiKey").asText();
        assertTrue(apiKey.startsWith("op_") && apiKey.length() > 40);
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> stored = dynamo.client()
                .getItem(b -> b.tableName(merchantsTable).key(Items.key(MerchantsTable.MERCHANT_ID, "20"))).item();
        assertEquals(ApiKeys.sha256Hex(apiKey), stored.get(MerchantsTable.API_KEY_HASH).s());
        assertFalse(stored.toString().contains(apiKey), "the key itself is never stored");

        JsonNode read = body(handler.handleRequest(get("/merchants/{merchantId}", Map.of("merchantId", "20")), null));
        assertNull(read.get("apiKey"), "the key is shown once, at creation");
        assertNull(read.get("apiKeyHash"));
        assertEquals(409, handler.handleRequest(event, null).getStatusCode());
    }

    @ParameterizedTest
    @Event(value = "events/get-merchant.json", type = APIGatewayProxyRequestEvent.class)
    void getMerchantFixture(APIGatewayProxyRequestEvent event) {
        handler.handleRequest(post("/merchants", Map.of("merchantId", "20", "name", "Cafe Twenty")), null);
        assertEquals(200, handler.handleRequest(event, null).getStatusCode());
    }

    @Test
    void ratesAreKeptExactly() {
        JsonNode merchant = body(handler.handleRequest(post("/merchants", "{\"merchantId\":\"exact\",\"name\":\"E\","
                + "\"earnRate\":0.0125,\"settlementRate\":0.975}"), null));
        assertEquals("0.0125", merchant.get("earnRate").asText());
        assertEquals("0.975", merchant.get("settlementRate").asText());
        JsonNode read = body(handler.handleRequest(get("/merchants/{merchantId}", Map.of("merchantId", "exact")), null));
        assertEquals("0.0125", read.get("earnRate").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"merchantId\":\"r1\",\"name\":\"R\",\"earnRate\":0.00001}|earnRate",
            "{\"merchantId\":\"r2\",\"name\":\"R\",\"earnRate\":1.5}|earnRate",
            "{\"merchantId\":\"r3\",\"name\":\"R\",\"earnRate\":-0.01}|earnRate",
            "{\"merchantId\":\"r4\",\"name\":\"R\",\"earnRate\":\"0.01\"}|earnRate",
            "{\"merchantId\":\"r5\",\"name\":\"R\",\"settlementRate\":2}|settlementRate",
            "{\"merchantId\":\"r 6\",\"name\":\"R\"}|merchantId",
            "{\"merchantId\":\"r7\"}|name"})
    void invalidRegistrationIs400AndWritesNothing(String json, String field) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(post("/merchants", json), null);
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals(field, body(response).at("/error/details/field").asText());
        assertEquals(0, dynamo.client().scan(b -> b.tableName(merchantsTable)
                .filterExpression("begins_with(merchantId, :r)")
                .expressionAttributeValues(Map.of(":r", Items.s("r")))).count());
    }

    @Test
    void unknownMerchantIs404() {
        APIGatewayProxyResponseEvent response = handler.handleRequest(get("/merchants/{merchantId}", Map.of("merchantId", "none")), null);
        assertEquals(404, response.getStatusCode());
        assertEquals("MERCHANT_NOT_FOUND", body(response).at("/error/code").asText());
    }
}
