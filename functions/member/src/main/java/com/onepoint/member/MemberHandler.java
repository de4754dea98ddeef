package com.onepoint.member;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.Member;
import com.onepoint.shared.domain.PhoneNumber;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.http.ApiHandler;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.http.JsonFields;
import com.onepoint.shared.idempotency.IdempotentRequests;
import com.onepoint.shared.snapstart.Priming;
import com.onepoint.shared.table.MemberPhonesTable;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static com.onepoint.shared.http.ApiResponses.json;

/**
 * MemberFunction: POST /members, GET /members/{memberId}, GET /members?phone=, PATCH /members/{memberId} (admin),
 * DELETE /members/{memberId} (admin). POST /members honours an Idempotency-Key header (see {@link IdempotentRequests}).
 * Phones are taken in any form {@link PhoneNumber} reads and stored, compared and answered in its canonical one.
 */
public class MemberHandler extends ApiHandler {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final String EMAIL_RULE = "must be an e-mail address";
    private static final int NAME_MAX = 100;
    private static final int EMAIL_MAX = 254;
    private static final Set<String> CHANGEABLE = Set.of("name", "phone", "email");

    private final MemberService members;
    private final IdempotentRequests idempotency;

    /** Lambda entry: clients are built once per container from the environment template.yaml sets. */
    public MemberHandler() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()), Clock.systemUTC());
    }

    public MemberHandler(Env env, DynamoDbClient dynamoDb, Clock clock) {
        this.members = new MemberService(dynamoDb, env.require(MembersTable.ENV), env.require(MemberPhonesTable.ENV),
                env.require(PointsTable.ENV), clock);
        this.idempotency = IdempotentRequests.fromEnvironment(env, dynamoDb);
    }

    @Override
    protected APIGatewayProxyResponseEvent route(ApiRequest request) {
        Caller caller = request.caller(); // any merchant may register and read members
        return switch (request.routeKey()) {
            case "POST /members" -> idempotency.respond(request, null, () -> {
                JsonFields body = request.jsonBody();
                String memberId = body.requiredId("memberId");
                String name = body.requiredText("name", NAME_MAX);
                String phone = body.optionalText("phone", PhoneNumber.MAX_INPUT_LENGTH)
                        .map(p -> PhoneNumber.normalise("phone", p)).orElse(null);
                String email = body.optionalMatching("email", EMAIL_MAX, EMAIL, EMAIL_RULE).orElse(null);
                return json(201, members.join(memberId, name, phone, email));
            });
            case "GET /members/{memberId}" -> json(200, members.get(request.pathId("memberId")));
            case "GET /members" -> json(200, members.findByPhone(phoneQuery(request.queryParameter("phone"))));
            case "PATCH /members/{memberId}" -> {
                caller.requireAdmin(); // a POS identifies members; correcting their data is the manager's
                String memberId = request.pathId("memberId");
                JsonFields body = request.jsonBody();
                body.requireOnlyAndSome(CHANGEABLE);
                if (body.isNull("name")) {
                    throw ApiException.validation("name", "is required and cannot be removed");
                }
                String name = body.optionalText("name", NAME_MAX).orElse(null);
                Optional<String> phone = !body.has("phone") ? null : body.isNull("phone") ? Optional.empty()
                        : Optional.of(PhoneNumber.normalise("phone", body.requiredText("phone", PhoneNumber.MAX_INPUT_LENGTH)));
                Optional<String> email = !body.has("email") ? null : body.isNull("email") ? Optional.empty()
                        : Optional.of(body.optionalMatching("email", EMAIL_MAX, EMAIL, EMAIL_RULE).orElseThrow());
                yield json(200, members.change(memberId, name, phone, email));
            }
            case "DELETE /members/{memberId}" -> {
                caller.requireAdmin(); // forfeiting a balance is the membership manager's decision, not a POS's
                yield json(200, members.leave(request.pathId("memberId")));
            }
            default -> throw noRoute(request);
        };
    }

    /**
     * The phone of GET /members?phone=. API Gateway decodes the query string as a form, so a '+' the caller did not
     * encode as %2B arrives as a space; a leading space is read as that '+' (it cannot start a number otherwise).
     */
    static String phoneQuery(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.validation("phone", "is required: GET /members?phone=%2B821012345678");
        }
        String phone = raw.startsWith(" ") ? "+" + raw.stripLeading() : raw;
        return PhoneNumber.normalise("phone", phone);
    }

    @Override
    protected Priming priming() {
        return new Priming()
                // every field parses; email, read last, is refused, so nothing is written
                .request("POST", "/members", Map.of(), "{\"memberId\":\"" + Priming.ABSENT_ID
                        + "\",\"name\":\"Priming\",\"phone\":\"010-0000-0000\",\"email\":\"not-an-e-mail\"}", Caller.admin())
                .request("GET", "/members/{memberId}", Map.of("memberId", Priming.ABSENT_ID), null, Caller.admin())
                // without its phone parameter: refused by validation (the join above has loaded the phone rule)
                .request("GET", "/members", Map.of(), null, Caller.admin())
                // a merchant may not change a member: refused before anything is read or written
                .request("PATCH", "/members/{memberId}", Map.of("memberId", Priming.ABSENT_ID), "{\"name\":\"Priming\"}",
                        Caller.merchant(Priming.ABSENT_ID))
                // a merchant may not make a member leave: refused before anything is read or written
                .request("DELETE", "/members/{memberId}", Map.of("memberId", Priming.ABSENT_ID), null,
                        Caller.merchant(Priming.ABSENT_ID))
                .responseTypes(Member.class, MemberService.Withdrawal.class)
                .step("idempotency", idempotency::prime);
    }
}
