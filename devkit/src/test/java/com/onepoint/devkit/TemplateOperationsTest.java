package com.onepoint.devkit;

import com.onepoint.shared.event.DealEventDetail;
import com.onepoint.shared.event.EventType;
import com.onepoint.devkit.json.Json;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Ruler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 items 2, 4 and 5 on template.yaml itself (see {@link OperationsRules}); then the same rules on copies with one
 * thing taken away, so a rule that stopped looking would be noticed.
 */
class TemplateOperationsTest {
    private static final Path TEMPLATE = Path.of("template.yaml");

    @Test
    void templateYamlFollowsEveryOperationsRule() {
        assertEquals(List.of(), OperationsRules.check(CfnYaml.load(TEMPLATE)));
    }

    @Test
    void aFunctionWithoutItsLogGroupIsCaught() {
        assertCaught(t -> resources(t).remove("MerchantFunctionLogGroup"), "MerchantFunction has no log group");
    }

    @Test
    void aLogGroupWithoutRetentionIsCaught() {
        assertCaught(t -> props(t, "DealFunctionLogGroup").remove("RetentionInDays"), "keeps logs forever");
    }

    @Test
    void untracedOrX86FunctionsAreCaught() {
        assertCaught(t -> map(map(t.get("Globals")).get("Function")).remove("Tracing"), "PointFunction is not traced");
        assertCaught(t -> props(t, "DealFunction").put("Architectures", List.of("x86_64")), "DealFunction is not arm64");
    }

    @Test
    void aFailureQueueWithoutDepthAlarmIsCaught() {
        assertCaught(t -> resources(t).remove("BillingStreamFailureQueueDepthAlarm"), "BillingStreamFailureQueue (a dead-letter");
    }

    @Test
    void aStreamReaderWithoutIteratorAgeAlarmIsCaught() {
        assertCaught(t -> resources(t).remove("DashboardProjectorIteratorAgeAlarm"), "DashboardProjector reads a table stream");
    }

    @Test
    void aThirdReaderOfATableStreamIsCaught() {
        assertCaught(t -> map(props(t, "BillingEventsFunction").get("Events")).put("DealChanges", Map.of("Type", "DynamoDB",
                "Properties", Map.of("Stream", Map.of("Fn::GetAtt", List.of("DealsTable", "StreamArn")),
                        "StartingPosition", "TRIM_HORIZON"))), "DealsTable's stream has 3 event-source mappings");
    }

    @Test
    void noTableStreamOfTemplateYamlHasMoreThanTwoReaders() {
        Map<String, Integer> readers = new TreeMap<>();
        for (Object resource : resources(CfnYaml.load(TEMPLATE)).values()) {
            for (Object event : map(map(map(resource).getOrDefault("Properties", Map.of())).getOrDefault("Events", Map.of())).values()) {
                if ("DynamoDB".equals(map(event).get("Type"))) {
                    List<Object> getAtt = list(map(map(map(event).get("Properties")).get("Stream")).get("Fn::GetAtt"));
                    readers.merge(String.valueOf(getAtt.get(0)), 1, Integer::sum);
                }
            }
        }
        // outbox + dashboard projector on members; outbox + billing view on deals; the dashboard reads deals from the bus;
        // dashboard + ledger projectors on points; the outbox alone on adjustments
        assertEquals(Map.of("MembersTable", 2, "DealsTable", 2, "PointsTable", 2, "BillingTable", 1,
                "AdjustmentsTable", 1), readers);
    }

    /** A deal event the rule left out would leave the dashboard's copy of that deal behind. */
    @Test
    void everyDealEventAndNoOtherReachesTheDashboardQueue() throws Exception {
        Map<String, Object> rule = props(CfnYaml.load(TEMPLATE), "DashboardDealEventsRule");
        String pattern = Json.write(rule.get("EventPattern"));
        List<String> routed = new ArrayList<>();
        for (EventType type : EventType.values()) {
            String envelope = Json.write(Map.of("version", "0", "id", "1", "detail-type", type.name(),
                    "source", type.source(), "account", "123456789012", "time", "2026-11-25T03:00:00Z",
                    "region", "ap-northeast-2", "resources", List.of(), "detail", Map.of("eventId", "e", "schemaVersion", 1)));
            if (Ruler.matchesRule(envelope, pattern)) {
                routed.add(type.name());
            }
        }
        List<String> dealEvents = Arrays.stream(EventType.values())
                .filter(t -> t.detailType() == DealEventDetail.class).map(Enum::name).toList();
        assertEquals(dealEvents, routed);
        assertEquals(5, dealEvents.size(), "DealRecorded, DealCancelled, DealRefunded, PointsRestored, RestorationForfeited");
    }

    @Test
    void aRuleTargetOrScheduleWithoutDeadLetterOrRetriesIsCaught() {
        assertCaught(t -> map(list(props(t, "UseCancelledRule").get("Targets")).get(0)).remove("DeadLetterConfig"),
                "UseCancelledRule.Targets[0] has no DeadLetterConfig");
        assertCaught(t -> map(map(map(props(t, "MonthlySettlementFunction").get("Events")).get("Monthly")).get("Properties"))
                .remove("RetryPolicy"), "MonthlySettlementFunction.Events.Monthly has no RetryPolicy");
    }

    @Test
    void aQueueThatWouldBeDeletedWithTheStackIsCaught() {
        assertCaught(t -> map(resources(t).get("RestoreQueue")).remove("DeletionPolicy"), "RestoreQueue lacks DeletionPolicy");
    }

    @Test
    void aMissingOrMisshapenGatewayResponseIsCaught() {
        assertCaught(t -> map(props(t, "Api").get("GatewayResponses")).remove("THROTTLED"), "GatewayResponses.THROTTLED");
        assertCaught(t -> map(map(map(props(t, "Api").get("GatewayResponses")).get("UNAUTHORIZED")).get("ResponseTemplates"))
                .put("application/json", "{\"message\":\"Unauthorized\"}"), "GatewayResponses.UNAUTHORIZED has no");
    }

    @Test
    void anOutputLeftOutIsCaught() {
        assertCaught(t -> map(t.get("Outputs")).remove("DealsTableName"), "Outputs do not name DealsTable");
    }

    /** Loads template.yaml afresh, breaks it, and expects a violation containing {@code expected}. */
    private static void assertCaught(Consumer<Map<String, Object>> breakIt, String expected) {
        Map<String, Object> template = CfnYaml.load(TEMPLATE);
        breakIt.accept(template);
        List<String> violations = OperationsRules.check(template);
        assertTrue(violations.stream().anyMatch(v -> v.contains(expected)), expected + " not in " + violations);
    }

    private static Map<String, Object> resources(Map<String, Object> template) {
        return map(template.get("Resources"));
    }

    private static Map<String, Object> props(Map<String, Object> template, String logicalId) {
        return map(map(resources(template).get(logicalId)).get("Properties"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
