package com.onepoint.member;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.table.PointsTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.get;
import static com.onepoint.devkit.ApiEvents.post;
import static com.onepoint.devkit.ApiEvents.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class MemberHandlerTest {
    private static LocalDynamo dynamo;
    private static MemberHandler handler;
    private static Env env;

    @BeforeAll
    static void start() {
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"));
        dynamo = LocalDynamo.start(template);
        env = new Env(template.functionEnvironment("MemberFunction", dynamo));
        handler = new MemberHandler(env, dynamo.client(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    private static String newId() {
        return "m-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static APIGatewayProxyResponseEvent join(String memberId) {
        return handler.handleRequest(post("/members", Map.of("memberId", memberId, "name", "Kim")), null);
    }

    private static long balance(String memberId) {
        return Items.num(dynamo.client().getItem(b -> b.tableName(env.require(PointsTable.ENV))
                .key(Items.key(PointsTable.MEMBER_ID, memberId))).item(), PointsTable.BALANCE);
    }

    @ParameterizedTest
    @Event(value = "events/join-member.json", type = APIGatewayProxyRequestEvent.class)
    void joinFixtureCreatesAnActiveMemberWithAnOpenEmptyAccount(APIGatewayProxyRequestEvent event) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);

        assertEquals(201, response.getStatusCode(), response.getBody());
        JsonNode member = body(response);
        assertEquals("0001", member.get("memberId").asText());
        assertEquals("ACTIVE", member.get("status").asText());
        assertEquals("+821012345678", member.get("phone").asText(), "stored and answered in its one canonical form");
        assertFalse(member.get("joinedAt").asText().isEmpty());
        assertEquals(0, balance("0001"));

        APIGatewayProxyResponseEvent again = handler.handleRequest(event, null);
        assertEquals(409, again.getStatusCode());
        assertEquals("MEMBER_EXISTS", body(again).at("/error/code").asText());
    }

    @ParameterizedTest
    @Event(value = "events/get-member.json", type = APIGatewayProxyRequestEvent.class)
    void getFixtureReadsTheMember(APIGatewayProxyRequestEvent event) {
        join("0001"); // 201 or 409 if another test joined it first: either way it exists
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("0001", body(response).get("memberId").asText());
    }

    @ParameterizedTest
    @Event(value = "events/leave-member.json", type = APIGatewayProxyRequestEvent.class)
    void leaveFixtureWithdrawsAndForfeits(APIGatewayProxyRequestEvent fixture) {
        String memberId = newId(); // the fixture's shape, on a member of this test's own
        join(memberId);
        fixture.setPathParameters(Map.of("memberId", memberId));

        APIGatewayProxyResponseEvent response = handler.handleRequest(fixture, null);

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = body(response);
        assertEquals("WITHDRAWN", body.get("status").asText());
        assertEquals(0, body.get("forfeitedPoints").asLong());
        APIGatewayProxyResponseEvent again = handler.handleRequest(fixture, null);
        assertEquals(409, again.getStatusCode());
        assertEquals("MEMBER_NOT_ACTIVE", body(again).at("/error/code").asText());
    }

    @Test
    void leaveForfeitsTheWholeBalanceAndClosesTheAccount() {
        String memberId = newId();
        join(memberId);
        dynamo.client().updateItem(b -> b.tableName(env.require(PointsTable.ENV))
                .key(Items.key(PointsTable.MEMBER_ID, memberId))
                .updateExpression("SET balance = :b").expressionAttributeValues(Map.of(":b", Items.n(600))));

        APIGatewayProxyResponseEvent response = handler.handleRequest(
                request("DELETE", "/members/{memberId}", Map.of("memberId", memberId), null), null);

        assertEquals(600, body(response).get("forfeitedPoints").asLong());
        assertEquals(0, balance(memberId));
        JsonNode member = body(handler.handleRequest(get("/members/{memberId}", Map.of("memberId", memberId)), null));
        assertEquals("WITHDRAWN", member.get("status").asText());
        assertEquals(600, member.get("forfeitedPoints").asLong());
        assertEquals("CLOSED", dynamo.client().getItem(b -> b.tableName(env.require(PointsTable.ENV))
                .key(Items.key(PointsTable.MEMBER_ID, memberId))).item().get(PointsTable.STATUS).s());
    }

    @Test
    void unknownMemberIs404() {
        APIGatewayProxyResponseEvent get = handler.handleRequest(get("/members/{memberId}", Map.of("memberId", "nobody")), null);
        assertEquals(404, get.getStatusCode());
        assertEquals("MEMBER_NOT_FOUND", body(get).at("/error/code").asText());
        APIGatewayProxyResponseEvent leave = handler.handleRequest(
                request("DELETE", "/members/{memberId}", Map.of("memberId", "nobody"), null), null);
        assertEquals(404, leave.getStatusCode());
        assertEquals("MEMBER_NOT_FOUND", body(leave).at("/error/code").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"memberId\":\"bad id\",\"name\":\"Kim\"}|memberId",
            "{\"memberId\":\"\",\"name\":\"Kim\"}|memberId",
            "{\"memberId\":12,\"name\":\"Kim\"}|memberId",
            "{\"name\":\"Kim\"}|memberId",
            "{\"memberId\":\"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12345\",\"name\":\"Kim\"}|memberId",
            "{\"memberId\":\"ok-1\"}|name",
            "{\"memberId\":\"ok-1\",\"name\":\"   \"}|name",
            "{\"memberId\":\"ok-1\",\"name\":\"Kim\",\"phone\":\"call me\"}|phone",
            "{\"memberId\":\"ok-1\",\"name\":\"Kim\",\"email\":\"not-an-email\"}|email",
            "{\"memberId\":\"ok-1\",\"name\":[\"Kim\"]}|name",
            "[1,2]|body",
            "{\"memberId\":\"ok-1\",|body",
            "|body"})
    void invalidJoinIs400NamingTheFieldAndWritesNothing(String caseSpec) {
        String[] parts = caseSpec.split("\\|");
        APIGatewayProxyResponseEvent response = handler.handleRequest(post("/members", parts[0]), null);

        assertEquals(400, response.getStatusCode(), response.getBody());
        JsonNode error = body(response).get("error");
        assertEquals("VALIDATION_FAILED", error.get("code").asText());
        assertEquals(parts[1], error.at("/details/field").asText());
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = dynamo.client()
                .getItem(b -> b.tableName(env.require(PointsTable.ENV)).key(Items.key(PointsTable.MEMBER_ID, "ok-1"))).item();
        assertFalse(item != null && !item.isEmpty(), "nothing may be written for a rejected join");
    }

    @Test
    void bodyOver16KiBIs413() {
        Map<String, Object> big = new HashMap<>();
        big.put("memberId", "big-1");
        big.put("name", "x".repeat(17 * 1024));
        APIGatewayProxyResponseEvent response = handler.handleRequest(post("/members", big), null);
        assertEquals(413, response.getStatusCode());
        assertEquals("PAYLOAD_TOO_LARGE", body(response).at("/error/code").asText());
    }

    @Test
    void unexpectedFailureIs500WithoutInternals() {
        MemberHandler broken = new MemberHandler(new Env(Map.of("MEMBERS_TABLE", "no-such-table", "MEMBER_PHONES_TABLE", "no-such-table", "POINTS_TABLE", "no-such-table",
                "IDEMPOTENCY_TABLE", "no-such-table")),
                dynamo.client(), Clock.systemUTC());
        APIGatewayProxyResponseEvent response = broken.handleRequest(get("/members/{memberId}", Map.of("memberId", "x")), null);
        assertEquals(500, response.getStatusCode());
        JsonNode error = body(response).get("error");
        assertEquals("INTERNAL_ERROR", error.get("code").asText());
        assertFalse(response.getBody().contains("Exception"), "no exception class or stack trace in a response");
        assertNull(error.get("stackTrace"));
    }
}
