package com.onepoint.devkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(SharedCloud.class)
class EventSourcesTest {
    @Test
    void handlesTheNonHttpEventTypes() {
        assertEquals(Set.of("DynamoDB", "SQS", "EventBridgeRule", "Schedule", "ScheduleV2"),
                SharedCloud.sources().handledEventTypes());
    }

    @Test
    void describesEveryFunctionsTriggers() {
        Map<String, List<String>> triggers = SharedCloud.sources().triggers();
        assertEquals(List.of(
                "SQS onepoint-test-restore (batch 10, partial batch failures)",
                "SQS onepoint-test-FilteredQueue (batch 5, 1 filter(s))"), triggers.get("RestoreFunction"));
        assertEquals(List.of("DynamoDB stream of onepoint-test-deals (TRIM_HORIZON, batch 10, bisect, retries 1, "
                + "partial batch failures, on failure to onepoint-test-StreamFailures, 1 filter(s))"), triggers.get("ProjectionFunction"));
        assertEquals(List.of(
                "EventBridge rule onepoint-test-AuditFunctionCancelled on bus onepoint-test "
                        + "{\"source\":[\"onepoint.deal\"],\"detail-type\":[\"DealCancelled\"]}",
                "EventBridge rule onepoint-test-AuditFunctionJoined on bus onepoint-test "
                        + "{\"source\":[\"onepoint.member\"],\"detail-type\":[\"MemberJoined\"]}"), triggers.get("AuditFunction"));
        assertEquals(2, triggers.get("NotifyFunction").size());
        assertEquals(3, triggers.get("SettlementFunction").size());
    }

    /** The event-by-event form a runtime with its own binding loop uses. */
    @Test
    void bindsOneEventAtATime() {
        LocalCloud cloud = SharedCloud.cloud();
        try (EventSources sources = EventSources.create(cloud.template(), cloud.dynamo(), cloud.sqs(), cloud.bus(), Clock.systemUTC())) {
            assertEquals(Map.of(), sources.triggers(), "create starts nothing");
            assertEquals("SQS onepoint-test-FilteredQueue (batch 5, 1 filter(s))",
                    sources.bind("RestoreFunction.Filtered", SharedCloud.invoker()));
            assertEquals(Map.of("RestoreFunction", List.of("SQS onepoint-test-FilteredQueue (batch 5, 1 filter(s))")),
                    sources.triggers());
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                    () -> sources.bind("RestoreFunction.Filtered", SharedCloud.invoker()));
            assertTrue(twice.getMessage().startsWith("no unbound event source RestoreFunction.Filtered"), twice.getMessage());
        }
    }

    private static UnsupportedTemplateException startWith(Path dir, String events) throws Exception {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                Resources:
                  RestoreQueue:
                    Type: AWS::SQS::Queue
                  DealsTable:
                    Type: AWS::DynamoDB::Table
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                """ + events);
        LocalCloud cloud = SharedCloud.cloud();
        return assertThrows(UnsupportedTemplateException.class, () -> EventSources.start(SamTemplate.load(file),
                cloud.dynamo(), cloud.sqs(), cloud.bus(), new RecordingInvoker(), Clock.systemUTC()).close());
    }

    @Test
    void anUnsupportedEventPropertyNamesFunctionEventAndProperty(@TempDir Path dir) throws Exception {
        assertEquals("Fn (AWS::Serverless::Function).Events.Restore.Properties.Foo: not supported by the local runtime",
                startWith(dir, """
                                Restore:
                                  Type: SQS
                                  Properties:
                                    Queue: !GetAtt RestoreQueue.Arn
                                    Foo: 1
                        """).getMessage());
        assertEquals("Fn (AWS::Serverless::Function).Events.Stream.Properties.TumblingWindowInSeconds: not supported by the local runtime",
                startWith(dir, """
                                Stream:
                                  Type: DynamoDB
                                  Properties:
                                    Stream: !GetAtt DealsTable.StreamArn
                                    StartingPosition: LATEST
                                    TumblingWindowInSeconds: 60
                        """).getMessage());
        assertEquals("Fn (AWS::Serverless::Function).Events.Tick.Properties.ScheduleExpression: "
                        + "cron needs 6 fields (minutes hours day-of-month month day-of-week year): cron(0 0 * * ?)",
                startWith(dir, """
                                Tick:
                                  Type: ScheduleV2
                                  Properties:
                                    ScheduleExpression: cron(0 0 * * ?)
                        """).getMessage());
    }
}
