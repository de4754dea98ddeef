package com.onepoint.member;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.table.MemberPhonesTable;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.PointsTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static com.onepoint.devkit.ApiEvents.asMerchant;
import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.get;
import static com.onepoint.devkit.ApiEvents.post;
import static com.onepoint.devkit.ApiEvents.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 items 3 and 7 at the handler: phones in one form and unique among ACTIVE members, the lookup by phone,
 * PATCH, and the erasure of personal data on leave. Each test uses phones of its own (see {@link #newPhone()}), and
 * the fixtures' phones are used by their tests only.
 */
class MemberPhoneHandlerTest {
    private static final AtomicInteger PHONES = new AtomicInteger(3000_0000);
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

    /** A Korean mobile number no other test uses, as a cashier types it: 010-3000-0001 ... */
    private static String newPhone() {
        String digits = Integer.toString(PHONES.incrementAndGet());
        return "010-" + digits.substring(0, 4) + "-" + digits.substring(4);
    }

    private static APIGatewayProxyResponseEvent join(String memberId, String phone) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("memberId", memberId, "name", "Kim Minji",
                "email", memberId + "@example.com"));
        if (phone != null) {
            body.put("phone", phone);
        }
        return handler.handleRequest(post("/members", body), null);
    }

    private static APIGatewayProxyResponseEvent find(String phone, Caller caller) {
        APIGatewayProxyRequestEvent event = request("GET", "/members", Map.of(), null, caller);
        event.setQueryStringParameters(phone == null ? null : Map.of("phone", phone));
        return handler.handleRequest(event, null);
    }

    private static APIGatewayProxyResponseEvent patch(String memberId, Object body) {
        return handler.handleRequest(request("PATCH", "/members/{memberId}", Map.of("memberId", memberId), body), null);
    }

    private static APIGatewayProxyResponseEvent leave(String memberId) {
        return handler.handleRequest(request("DELETE", "/members/{memberId}", Map.of("memberId", memberId), null), null);
    }

    private static JsonNode expect(int status, APIGatewayProxyResponseEvent response) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        return body(response);
    }

    private static Map<String, AttributeValue> item(String tableEnv, String keyName, String key) {
        Map<String, AttributeValue> item = dynamo.client().getItem(b -> b.tableName(env.require(tableEnv))
                .key(Items.key(keyName, key)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static String holderOf(String canonicalPhone) {
        Map<String, AttributeValue> claim = item(MemberPhonesTable.ENV, MemberPhonesTable.PHONE, canonicalPhone);
        return claim == null ? null : Items.str(claim, MemberPhonesTable.MEMBER_ID);
    }

    private static String canonical(String koreanMobile) {
        return "+82" + koreanMobile.replace("-", "").substring(1);
    }

    // ---------------------------------------------------------------- join

    @Test
    void joinStoresAndAnswersTheCanonicalPhoneAndClaimsIt() {
        String memberId = newId();
        String phone = newPhone();

        JsonNode member = expect(201, join(memberId, "+82 (0)" + phone.substring(1).replace("-", " ")));

        assertEquals(canonical(phone), member.get("phone").asText());
        assertEquals(canonical(phone), Items.str(item(MembersTable.ENV, MembersTable.MEMBER_ID, memberId), MembersTable.PHONE));
        assertEquals(memberId, holderOf(canonical(phone)));
    }

    @Test
    void joiningWithAPhoneAnActiveMemberHoldsIs409AndWritesNothing() {
        String holder = newId();
        String phone = newPhone();
        expect(201, join(holder, phone));
        for (String sameNumber : List.of(phone, phone.replace("-", ""), "+82 " + phone.substring(1), canonical(phone))) {
            String late = newId();
            APIGatewayProxyRequestEvent event = post("/members", Map.of("memberId", late, "name", "Lee", "phone", sameNumber));

            JsonNode error = expect(409, handler.handleRequest(asMerchant("20", event), null)).get("error");

            assertEquals("PHONE_IN_USE", error.get("code").asText());
            assertEquals("phone", error.at("/details/field").asText());
            assertEquals(1, error.get("details").size(), "no holder's id in the refusal: " + error);
            assertFalse(error.toString().contains(holder), "the holder is not named: " + error);
            assertNull(item(MembersTable.ENV, MembersTable.MEMBER_ID, late), "no member for a refused join");
            assertNull(item(PointsTable.ENV, PointsTable.MEMBER_ID, late), "no account for a refused join");
        }
        assertEquals(holder, holderOf(canonical(phone)));
    }

    @Test
    void memberExistsWinsOverPhoneInUse() {
        String memberId = newId();
        String phone = newPhone();
        expect(201, join(memberId, phone));
        assertEquals("MEMBER_EXISTS", expect(409, join(memberId, phone)).at("/error/code").asText());
    }

    @Test
    void membersWithoutAPhoneDoNotCollide() {
        expect(201, join(newId(), null));
        expect(201, join(newId(), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"call me", "1012345678", "+82 10-12", "010-1234-5678-99", "+1234567890123456", "++82101234"})
    void aJoinWithAnInvalidPhoneIs400NamingIt(String phone) {
        String memberId = newId();
        JsonNode error = expect(400, join(memberId, phone)).get("error");
        assertEquals("VALIDATION_FAILED", error.get("code").asText());
        assertEquals("phone", error.at("/details/field").asText());
        assertNull(item(MembersTable.ENV, MembersTable.MEMBER_ID, memberId));
    }

    // ---------------------------------------------------------------- GET /members?phone=

    @ParameterizedTest
    @Event(value = "events/find-member-by-phone.json", type = APIGatewayProxyRequestEvent.class)
    void findFixtureAnswersTheMemberHoldingThePhone(APIGatewayProxyRequestEvent fixture) {
        String memberId = newId();
        expect(201, join(memberId, "010-1234-5678")); // the fixture asks for +82 10-1234-5678

        JsonNode member = expect(200, handler.handleRequest(fixture, null));

        assertEquals(memberId, member.get("memberId").asText());
        assertEquals("+821012345678", member.get("phone").asText());
        assertEquals("ACTIVE", member.get("status").asText());
        // a merchant key finds it too: a cashier identifies the member by phone
        assertEquals(memberId, expect(200, handler.handleRequest(asMerchant("20", fixture), null)).get("memberId").asText());
    }

    @Test
    void everyFormOfTheNumberFindsTheMember() {
        String memberId = newId();
        String phone = newPhone();
        expect(201, join(memberId, phone));
        String national = phone.substring(1);
        // the last: a '+' sent unencoded reaches the function as a space (API Gateway decodes the query as a form)
        for (String form : List.of(phone, phone.replace("-", ""), "+82 " + national, "+82" + national.replace("-", ""),
                "(" + phone.substring(0, 3) + ") " + phone.substring(4), " 82 " + national.replace("-", " "))) {
            assertEquals(memberId, expect(200, find(form, Caller.merchant("20"))).get("memberId").asText(), form);
        }
    }

    @Test
    void aPhoneNoActiveMemberHoldsIs404() {
        JsonNode error = expect(404, find(newPhone(), Caller.admin())).get("error");
        assertEquals("MEMBER_NOT_FOUND", error.get("code").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "call me", "12", "+82 10-12"})
    void anInvalidOrMissingPhoneQueryIs400(String phone) {
        for (String query : phone.isEmpty() ? new String[] {null, ""} : new String[] {phone}) {
            JsonNode error = expect(400, find(query, Caller.admin())).get("error");
            assertEquals("VALIDATION_FAILED", error.get("code").asText());
            assertEquals("phone", error.at("/details/field").asText());
        }
    }

    // ---------------------------------------------------------------- PATCH /members/{memberId}

    @ParameterizedTest
    @Event(value = "events/patch-member.json", type = APIGatewayProxyRequestEvent.class)
    void patchFixtureChangesPhoneAndEmailAndMovesTheClaim(APIGatewayProxyRequestEvent fixture) {
        String oldPhone = newPhone();
        expect(201, join("0001", oldPhone)); // the fixture's member; no other test of this class uses it

        JsonNode member = expect(200, handler.handleRequest(fixture, null));

        assertEquals("0001", member.get("memberId").asText());
        assertEquals("Kim Minji", member.get("name").asText(), "a field the PATCH leaves out is kept");
        assertEquals("+821098765432", member.get("phone").asText());
        assertEquals("minji.kim@example.com", member.get("email").asText());
        assertEquals(member, expect(200, handler.handleRequest(get("/members/{memberId}", Map.of("memberId", "0001")), null)));
        assertEquals("0001", holderOf("+821098765432"));
        assertNull(holderOf(canonical(oldPhone)), "the old phone is free");
        assertEquals("MEMBER_NOT_FOUND", expect(404, find(oldPhone, Caller.admin())).at("/error/code").asText());
        assertEquals("0001", expect(200, find("010-9876-5432", Caller.admin())).get("memberId").asText());
        assertEquals(2, Items.num(item(MembersTable.ENV, MembersTable.MEMBER_ID, "0001"), MembersTable.VERSION),
                "the read models see one change");
    }

    @Test
    void patchNameOnlyKeepsThePhoneAndItsClaim() {
        String memberId = newId();
        String phone = newPhone();
        expect(201, join(memberId, phone));

        JsonNode member = expect(200, patch(memberId, Map.of("name", "Kim Min-ji")));

        assertEquals("Kim Min-ji", member.get("name").asText());
        assertEquals(canonical(phone), member.get("phone").asText());
        assertEquals(memberId, holderOf(canonical(phone)));
    }

    @Test
    void patchToTheSamePhoneInAnotherFormChangesNothingButIsFine() {
        String memberId = newId();
        String phone = newPhone();
        expect(201, join(memberId, phone));
        assertEquals(canonical(phone), expect(200, patch(memberId, Map.of("phone", "+82 " + phone.substring(1))))
                .get("phone").asText());
        assertEquals(memberId, holderOf(canonical(phone)));
    }

    @Test
    void patchNullRemovesPhoneAndEmailAndFreesThePhone() {
        String memberId = newId();
        String phone = newPhone();
        expect(201, join(memberId, phone));
        JsonNode member = expect(200, patch(memberId, "{\"phone\":null,\"email\":null}"));

        assertFalse(member.has("phone") || member.has("email"), member.toString());
        Map<String, AttributeValue> stored = item(MembersTable.ENV, MembersTable.MEMBER_ID, memberId);
        assertFalse(stored.containsKey(MembersTable.PHONE) || stored.containsKey(MembersTable.EMAIL), stored.toString());
        assertNull(holderOf(canonical(phone)));
        expect(201, join(newId(), phone)); // free for someone else
        // and the member can be given a phone again
        String another = newPhone();
        assertEquals(canonical(another), expect(200, patch(memberId, Map.of("phone", another))).get("phone").asText());
        assertEquals(memberId, holderOf(canonical(another)));
    }

    @Test
    void patchToAPhoneAnotherActiveMemberHoldsIs409AndChangesNothing() {
        String holder = newId();
        String phone = newPhone();
        expect(201, join(holder, phone));
        String other = newId();
        String otherPhone = newPhone();
        expect(201, join(other, otherPhone));

        JsonNode error = expect(409, patch(other, Map.of("name", "Changed", "phone", phone))).get("error");

        assertEquals("PHONE_IN_USE", error.get("code").asText());
        assertFalse(error.toString().contains(holder));
        JsonNode unchanged = expect(200, handler.handleRequest(get("/members/{memberId}", Map.of("memberId", other)), null));
        assertEquals("Kim Minji", unchanged.get("name").asText(), "nothing of a refused PATCH is written");
        assertEquals(canonical(otherPhone), unchanged.get("phone").asText());
        assertEquals(other, holderOf(canonical(otherPhone)));
        assertEquals(holder, holderOf(canonical(phone)));
    }

    @Test
    void patchOfAWithdrawnMemberIs409AndOfAnUnknownOne404() {
        String memberId = newId();
        expect(201, join(memberId, newPhone()));
        expect(200, leave(memberId));

        assertEquals("MEMBER_NOT_ACTIVE", expect(409, patch(memberId, Map.of("name", "Back"))).at("/error/code").asText());
        assertEquals("MEMBER_NOT_FOUND", expect(404, patch("nobody", Map.of("name", "X"))).at("/error/code").asText());
    }

    @Test
    void patchIsForTheAdminOnly() {
        String memberId = newId();
        expect(201, join(memberId, null));
        APIGatewayProxyRequestEvent event = request("PATCH", "/members/{memberId}", Map.of("memberId", memberId),
                Map.of("name", "Mallory"), Caller.merchant("20"));
        assertEquals("FORBIDDEN", expect(403, handler.handleRequest(event, null)).at("/error/code").asText());
        assertEquals("Kim Minji", expect(200, handler.handleRequest(get("/members/{memberId}", Map.of("memberId", memberId)), null))
                .get("name").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}|body",
            "|body",
            "[1]|body",
            "{\"nickname\":\"Minji\"}|nickname",
            "{\"name\":\"Kim\",\"memberId\":\"other\"}|memberId",
            "{\"name\":null}|name",
            "{\"name\":\"  \"}|name",
            "{\"name\":12}|name",
            "{\"phone\":\"call me\"}|phone",
            "{\"phone\":\"\"}|phone",
            "{\"phone\":1012345678}|phone",
            "{\"email\":\"not-an-e-mail\"}|email"})
    void anInvalidPatchIs400NamingTheFieldAndChangesNothing(String caseSpec) {
        String[] parts = caseSpec.split("\\|");
        String memberId = newId();
        String phone = newPhone();
        expect(201, join(memberId, phone));
        Map<String, AttributeValue> before = item(MembersTable.ENV, MembersTable.MEMBER_ID, memberId);

        JsonNode error = expect(400, patch(memberId, parts[0])).get("error");

        assertEquals("VALIDATION_FAILED", error.get("code").asText());
        assertEquals(parts[1], error.at("/details/field").asText());
        assertEquals(before, item(MembersTable.ENV, MembersTable.MEMBER_ID, memberId));
    }

    // ---------------------------------------------------------------- leave erases

    @Test
    void leaveErasesNamePhoneAndEmailKeepsTheRestAndFreesThePhone() {
        String memberId = newId();
        String phone = newPhone();
        JsonNode joined = expect(201, join(memberId, phone));

        expect(200, leave(memberId));

        JsonNode member = expect(200, handler.handleRequest(get("/members/{memberId}", Map.of("memberId", memberId)), null));
        assertEquals(memberId, member.get("memberId").asText());
        assertEquals("WITHDRAWN", member.get("status").asText());
        assertEquals(joined.get("joinedAt"), member.get("joinedAt"));
        assertEquals(0, member.get("forfeitedPoints").asLong());
        assertEquals(member.get("withdrawnAt"), member.get("erasedAt"), "erased in the same write that withdrew");
        assertFalse(member.has("name") || member.has("phone") || member.has("email"), member.toString());
        Map<String, AttributeValue> stored = item(MembersTable.ENV, MembersTable.MEMBER_ID, memberId);
        for (String erased : List.of(MembersTable.NAME, MembersTable.PHONE, MembersTable.EMAIL)) {
            assertFalse(stored.containsKey(erased), erased + " still stored: " + stored.keySet());
        }
        assertFalse(stored.toString().contains(canonical(phone).substring(3)), "no trace of the phone: " + stored);
        assertNull(holderOf(canonical(phone)), "the claim went with the member");
        assertEquals("MEMBER_NOT_FOUND", expect(404, find(phone, Caller.admin())).at("/error/code").asText());

        String next = newId();
        expect(201, join(next, phone.replace("-", "")));
        assertEquals(next, expect(200, find(phone, Caller.admin())).get("memberId").asText());
        assertEquals("MEMBER_NOT_ACTIVE", expect(409, leave(memberId)).at("/error/code").asText());
    }

    @Test
    void aMemberWithoutPhoneLeavesToo() {
        String memberId = newId();
        expect(201, join(memberId, null));
        expect(200, leave(memberId));
        JsonNode member = expect(200, handler.handleRequest(get("/members/{memberId}", Map.of("memberId", memberId)), null));
        assertFalse(member.has("name") || member.has("email"), member.toString());
        assertTrue(member.has("erasedAt"));
    }
}
