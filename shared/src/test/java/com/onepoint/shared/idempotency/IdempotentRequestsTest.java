package com.onepoint.shared.idempotency;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.http.ApiResponses;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.json.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The idempotency plumbing without a database: key rules, scoping, body comparison, stored form, claim. */
class IdempotentRequestsTest {

    @Test
    void keysOfUpTo128PrintableCharactersAreAccepted() {
        assertEquals("k".repeat(128), IdempotentRequests.validKey("k".repeat(128)));
        assertEquals("한글-키 #1", IdempotentRequests.validKey("한글-키 #1"));
        for (String bad : List.of("k".repeat(129), "", " ", "a\nb", "a\u0000b", "a\u007fb")) {
            ApiException e = assertThrows(ApiException.class, () -> IdempotentRequests.validKey(bad));
            assertEquals(400, e.status());
            assertEquals("Idempotency-Key", e.details().get("field"));
        }
    }

    @Test
    void keysAreScopedToCallerRouteAndPathId() {
        String admin = IdempotentRequests.scopedKey(Caller.admin(), "POST /deals", null, "k");
        String merchantNamedAdmin = IdempotentRequests.scopedKey(Caller.merchant("admin"), "POST /deals", null, "k");
        String cancel = IdempotentRequests.scopedKey(Caller.admin(), "POST /deals/{dealId}/cancel", "d1", "k");
        String otherDeal = IdempotentRequests.scopedKey(Caller.admin(), "POST /deals/{dealId}/cancel", "d2", "k");

        assertEquals("admin#POST /deals##k", admin);
        assertEquals("merchant:admin#POST /deals##k", merchantNamedAdmin);
        assertEquals(4, List.of(admin, merchantNamedAdmin, cancel, otherDeal).stream().distinct().count());
    }

    @Test
    void bodiesAreComparedAsJson() {
        String canonical = IdempotentRequests.canonicalBody("{\"b\":{\"y\":1,\"x\":[2,{\"q\":0,\"p\":0}]},\"a\":\"s\"}");
        assertEquals("{\"a\":\"s\",\"b\":{\"x\":[2,{\"p\":0,\"q\":0}],\"y\":1}}", canonical);
        assertEquals(canonical, IdempotentRequests.canonicalBody(" {\n \"a\" : \"s\", \"b\": {\"x\":[2,{\"p\":0,\"q\":0}],\"y\":1}}"));
        assertNotEquals(canonical, IdempotentRequests.canonicalBody("{\"a\":\"s \",\"b\":{\"x\":[2,{\"p\":0,\"q\":0}],\"y\":1}}"));
        assertNotEquals(IdempotentRequests.canonicalBody("{\"a\":[1,2]}"), IdempotentRequests.canonicalBody("{\"a\":[2,1]}"));
        assertEquals("not json {", IdempotentRequests.canonicalBody("not json {"));
        assertEquals("", IdempotentRequests.canonicalBody(""));
    }

    @Test
    void whatIsStored() {
        for (int status : List.of(200, 201, 202, 409)) {
            assertTrue(IdempotentRequests.stored(status), String.valueOf(status));
        }
        for (int status : List.of(400, 401, 403, 404, 413, 422, 500, 503)) {
            assertTrue(!IdempotentRequests.stored(status), String.valueOf(status));
        }
    }

    @Test
    void theStoredResponseDecodesToTheSameResponse() throws Exception {
        APIGatewayProxyResponseEvent error = ApiResponses.error(new ApiException(409, "INSUFFICIENT_POINTS", "no",
                Map.of("deal", Map.of("dealId", "d1", "status", "FAILED"))));
        String stored = StoredResponse.encode(error);

        APIGatewayProxyResponseEvent decoded = StoredResponse.decode(stored);

        assertEquals(409, decoded.getStatusCode());
        assertEquals(error.getHeaders(), decoded.getHeaders());
        assertEquals(error.getBody(), decoded.getBody());
        assertEquals(stored, StoredResponse.encode(decoded)); // a replay of a replay is the same text
        assertEquals(error.getBody(), Json.at(Json.parse(stored), "body"));
    }

    /** A claim is one conditional put of the in-progress record, with the key and body hashed and the lease in ms. */
    @Test
    void aClaimPutsTheInProgressRecord() {
        List<PutItemRequest> puts = new ArrayList<>();
        DynamoDbClient db = new DynamoDbClient() {
            @Override
            public PutItemResponse putItem(PutItemRequest request) {
                puts.add(request);
                return PutItemResponse.builder().build();
            }

            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
            }
        };
        IdempotencyStore store = new IdempotencyStore(db, "t", IdempotentRequests.EXPIRY, Duration.ofSeconds(30));
        Instant now = Instant.now();
        String id = IdempotentRequests.recordId(IdempotentRequests.scopedKey(Caller.admin(), "POST /deals", null, "k"));

        IdempotencyStore.Claim claim = store.claim(id, IdempotentRequests.sha256("{}"), now);

        assertTrue(claim.granted());
        assertEquals(1, puts.size());
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = puts.get(0).item();
        assertEquals(64, item.get("id").s().length()); // SHA-256 of the scoped key, in hex
        assertNotEquals(id, IdempotentRequests.recordId(IdempotentRequests.scopedKey(Caller.merchant("20"), "POST /deals", null, "k")));
        assertEquals(now.plus(IdempotentRequests.EXPIRY).getEpochSecond(), Long.parseLong(item.get("expiration").n()));
        assertEquals(now.plusSeconds(30).toEpochMilli(), Long.parseLong(item.get("in_progress_expiration").n()));
        assertEquals(now.plusSeconds(30).toEpochMilli(), claim.leaseEnd());
        assertEquals("INPROGRESS", item.get("status").s());
        assertEquals(IdempotentRequests.sha256("{}"), item.get("validation").s());
        assertTrue(puts.get(0).conditionExpression().startsWith("attribute_not_exists(#id)"));
    }
}
