package com.onepoint.member;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.Member;
import com.onepoint.shared.http.ApiHandler;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.http.JsonFields;
import com.onepoint.shared.idempotency.IdempotentRequests;
import com.onepoint.shared.snapstart.Priming;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

import static com.onepoint.shared.http.ApiResponses.json;

/**
 * MemberFunction: POST /members, GET /members/{memberId}, DELETE /members/{memberId}. POST /members honours an
 * Idempotency-Key header (see {@link IdempotentRequests}).
 */
public class MemberHandler extends ApiHandler {
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 -]{2,30}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final MemberService members;
    private final IdempotentRequests idempotency;

    /** Lambda entry: clients are built once per container from the environment template.yaml sets. */
    public MemberHandler() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()), Clock.systemUTC());
    }

    public MemberHandler(Env env, DynamoDbClient dynamoDb, Clock clock) {
        this.members = new MemberService(dynamoDb, env.require(MembersTable.ENV), env.require(PointsTable.ENV), clock);
        this.idempotency = IdempotentRequests.fromEnvironment(env, dynamoDb);
    }

    @Override
    protected APIGatewayProxyResponseEvent route(ApiRequest request) {
        Caller caller = request.caller(); // any merchant may register and read members
        return switch (request.routeKey()) {
            case "POST /members" -> idempotency.respond(request, null, () -> {
                JsonFields body = request.jsonBody();
                String memberId = body.requiredId("memberId");
                String name = body.requiredText("name", 100);
                String phone = body.optionalMatching("phone", 32, PHONE, "must be a phone number of digits, spaces and '-', optionally starting with '+'").orElse(null);
                String email = body.optionalMatching("email", 254, EMAIL, "must be an e-mail address").orElse(null);
                return json(201, members.join(memberId, name, phone, email));
            });
            case "GET /members/{memberId}" -> json(200, members.get(request.pathId("memberId")));
            case "DELETE /members/{memberId}" -> {
                caller.requireAdmin(); // forfeiting a balance is the membership manager's decision, not a POS's
                yield json(200, members.leave(request.pathId("memberId")));
            }
            default -> throw noRoute(request);
        };
    }

    @Override
    protected Priming priming() {
        return new Priming()
                // every field parses; email, read last, is refused, so nothing is written
                .request("POST", "/members", Map.of(), "{\"memberId\":\"" + Priming.ABSENT_ID
                        + "\",\"name\":\"Priming\",\"phone\":\"010-0000-0000\",\"email\":\"not-an-e-mail\"}", Caller.admin())
                .request("GET", "/members/{memberId}", Map.of("memberId", Priming.ABSENT_ID), null, Caller.admin())
                // a merchant may not make a member leave: refused before anything is read or written
                .request("DELETE", "/members/{memberId}", Map.of("memberId", Priming.ABSENT_ID), null,
                        Caller.merchant(Priming.ABSENT_ID))
                .responseTypes(Member.class, MemberService.Withdrawal.class)
                .step("idempotency", idempotency::prime);
    }
}
