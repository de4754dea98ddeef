package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.CompositeRefs;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.ResourceRefs;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.events.RecordingEventBridge;
import com.onepoint.devkit.streams.StreamTap;
import com.onepoint.member.MemberHandler;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.table.PointsTable;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.devkit.ApiEvents.post;
import static com.onepoint.devkit.ApiEvents.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PointFunction, LedgerProjectorFunction and LedgerAuditFunction wired as template.yaml wires them, on the embedded
 * engine; members join and leave through MemberHandler; the points stream is read with a {@link StreamTap} and fed
 * to the projector, as Lambda would. The bus is a recorder. One per test class.
 */
final class PointStack implements AutoCloseable {
    static final String BUS = "onepoint-dev";

    final LocalDynamo dynamo;
    final RecordingEventBridge bus = RecordingEventBridge.healthy();
    final Env pointEnv;
    final PointHandler points;
    final MemberHandler members;
    final LedgerProjector projector;
    final LedgerAuditSchedule schedule;
    private final StreamTap pointsStream;

    PointStack() {
        this(Clock.systemUTC());
    }

    PointStack(Clock clock) {
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"));
        dynamo = LocalDynamo.start(template);
        ResourceRefs busRef = new ResourceRefs() {
            @Override
            public String ref(String logicalId) {
                return logicalId.equals("EventBus") ? BUS : null;
            }

            @Override
            public String getAtt(String logicalId, String attribute) {
                return null;
            }
        };
        ResourceRefs refs = CompositeRefs.of(dynamo, busRef);
        pointEnv = new Env(template.functionEnvironment("PointFunction", refs));
        points = new PointHandler(pointEnv, dynamo.client(), bus, clock);
        members = new MemberHandler(new Env(template.functionEnvironment("MemberFunction", refs)), dynamo.client(), clock);
        projector = new LedgerProjector(new Env(template.functionEnvironment("LedgerProjectorFunction", refs)), dynamo.client());
        schedule = new LedgerAuditSchedule(new Env(template.functionEnvironment("LedgerAuditFunction", refs)),
                dynamo.client(), bus, clock);
        pointsStream = new StreamTap(dynamo.streams(), dynamo.streamArn("PointsTable"));
    }

    String table(String env) {
        return pointEnv.require(env);
    }

    APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent event) {
        return points.handleRequest(event, null);
    }

    String member(String memberId) {
        expect(201, members.handleRequest(post("/members", Map.of("memberId", memberId, "name", "Member " + memberId)), null));
        return memberId;
    }

    JsonNode leave(String memberId) {
        return body(expect(200, members.handleRequest(
                request("DELETE", "/members/{memberId}", Map.of("memberId", memberId), null), null)));
    }

    APIGatewayProxyResponseEvent adjust(String memberId, long points, String reason) {
        return call(request("POST", "/members/{memberId}/adjustments", Map.of("memberId", memberId),
                Map.of("points", points, "reason", reason)));
    }

    APIGatewayProxyResponseEvent ledger(String memberId, Integer limit, String nextToken) {
        APIGatewayProxyRequestEvent event = request("GET", "/members/{memberId}/ledger", Map.of("memberId", memberId), null);
        Map<String, String> query = new HashMap<>();
        if (limit != null) {
            query.put("limit", String.valueOf(limit));
        }
        if (nextToken != null) {
            query.put("nextToken", nextToken);
        }
        return call(event.withQueryStringParameters(query.isEmpty() ? null : query));
    }

    APIGatewayProxyResponseEvent audit(String memberId) {
        APIGatewayProxyRequestEvent event = request("POST", "/admin/audit", Map.of(), null);
        return call(event.withQueryStringParameters(memberId == null ? null : Map.of("memberId", memberId)));
    }

    /** The points stream's records since the last call, through the ledger projector; asserts none failed. */
    void project() {
        StreamsEventResponse response = projector.handleRequest(pointsStream.next(), null);
        assertEquals(List.of(), response.getBatchItemFailures(), "the projector applies every points record");
    }

    long balance(String memberId) {
        return Items.num(dynamo.client().getItem(b -> b.tableName(table(PointsTable.ENV))
                .key(Items.key(PointsTable.MEMBER_ID, memberId)).consistentRead(true)).item(), PointsTable.BALANCE);
    }

    /** The audit of every member answers zero discrepancies. */
    void assertAuditClean() {
        JsonNode report = body(expect(200, audit(null)));
        assertEquals(0, report.get("discrepancies").size(), "discrepancies: " + report);
    }

    @Override
    public void close() {
        dynamo.close();
    }
}
