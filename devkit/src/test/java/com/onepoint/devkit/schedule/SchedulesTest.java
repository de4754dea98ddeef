package com.onepoint.devkit.schedule;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.RecordingInvoker;
import com.onepoint.devkit.SharedCloud;
import com.onepoint.devkit.TestTemplates;
import com.onepoint.devkit.events.TargetDispatcher;
import com.onepoint.devkit.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(SharedCloud.class)
class SchedulesTest {
    private static Schedules schedules() {
        return SharedCloud.sources().schedules();
    }

    private static Object lastEvent(String functionId) {
        List<Object> events = SharedCloud.invoker().events(functionId);
        return events.get(events.size() - 1);
    }

    @Test
    void everyKindOfScheduleIsRead() {
        assertEquals(List.of("TickRule", "NightlySchedule", "SettlementFunction.Monthly",
                "SettlementFunction.MonthlyWithInput", "SettlementFunction.Hourly"),
                schedules().list().stream().map(Schedules.Schedule::key).toList());
        Schedules.Schedule monthly = schedules().find("Monthly");
        assertEquals("schedule onepoint-test-SettlementFunctionMonthly cron(30 0 1 * ? *) Asia/Seoul", monthly.describe());
        assertEquals(Instant.parse("2024-01-31T15:30:00Z"), monthly.nextAfter(Instant.parse("2024-01-15T00:00:00Z")).orElseThrow());
        assertTrue(schedules().find("MonthlyWithInput").describe().endsWith("(disabled)"));
        assertEquals("nightly", schedules().find("nightly").name());
    }

    @Test
    void fireNowDeliversWhatSchedulerAndEventBridgeSend() throws Exception {
        SharedCloud.sources().fireSchedule("SettlementFunction.Monthly");
        ScheduledEvent scheduler = (ScheduledEvent) lastEvent("SettlementFunction");
        assertEquals("aws.scheduler", scheduler.getSource());
        assertEquals("Scheduled Event", scheduler.getDetailType());
        assertEquals(List.of("arn:aws:scheduler:ap-northeast-2:000000000000:schedule/default/onepoint-test-SettlementFunctionMonthly"),
                scheduler.getResources());
        assertTrue(scheduler.getDetail().isEmpty());
        assertEquals("000000000000", scheduler.getAccount());

        // disabled schedules still fire on demand; with Input the target gets the Input alone
        schedules().fireNow("MonthlyWithInput");
        assertEquals(Map.of("kind", "month-end"), lastEvent("SettlementFunction"));

        schedules().fireNow("Hourly");
        ScheduledEvent rule = (ScheduledEvent) lastEvent("SettlementFunction");
        assertEquals("aws.events", rule.getSource());
        assertEquals(List.of("arn:aws:events:ap-northeast-2:000000000000:rule/onepoint-test-SettlementFunctionHourly"),
                rule.getResources());

        schedules().fireNow("nightly");
        assertEquals(Map.of("job", "nightly"), lastEvent("NotifyFunction"));

        schedules().fireNow("TickRule");
        Message tick = SharedCloud.cloud().sqs().client().receiveMessage(b -> b.queueUrl(SharedCloud.cloud().sqs().urlOf("TickQueue"))
                .waitTimeSeconds(1)).messages().get(0);
        JsonNode envelope = Json.read(tick.body());
        assertEquals("aws.events", envelope.get("source").asText());
        assertEquals("arn:aws:events:ap-northeast-2:000000000000:rule/onepoint-test-TickRule", envelope.get("resources").get(0).asText());
        SharedCloud.cloud().sqs().client().deleteMessage(b -> b.queueUrl(SharedCloud.cloud().sqs().urlOf("TickQueue"))
                .receiptHandle(tick.receiptHandle()));
    }

    @Test
    void fireNowNamesMustBeUnambiguousAndFailuresReachTheCaller() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> schedules().fireNow("SettlementFunction"));
        assertTrue(e.getMessage().startsWith("several schedules match SettlementFunction"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> schedules().fireNow("NoSuchSchedule"));
        SharedCloud.invoker().answer("SettlementFunction", event -> {
            throw new IllegalStateException("settlement failed");
        });
        try {
            assertEquals("settlement failed",
                    assertThrows(IllegalStateException.class, () -> schedules().fireNow("Monthly")).getMessage());
        } finally {
            SharedCloud.invoker().answer("SettlementFunction", event -> null);
        }
    }

    /** A clock 0.4 s before 00:30 KST on 1 February 2024: the monthly settlement must fire, once, on time. */
    @Test
    void firesOnTimeInItsTimeZone() {
        Instant fireAt = Instant.parse("2024-01-31T15:30:00Z");
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), fireAt.minusMillis(400)));
        RecordingInvoker invoker = new RecordingInvoker();
        try (TargetDispatcher dispatcher = new TargetDispatcher(SharedCloud.cloud().sqs());
             Schedules own = Schedules.of(SharedCloud.cloud().template(), SharedCloud.cloud(), SharedCloud.cloud().sqs(),
                     dispatcher, clock)) {
            dispatcher.connect(invoker);
            own.start();
            TestTemplates.await(Duration.ofSeconds(5), "the monthly fire", () -> invoker.count("SettlementFunction") == 1);
            ScheduledEvent fired = (ScheduledEvent) invoker.events("SettlementFunction").get(0);
            assertEquals(fireAt.toEpochMilli(), fired.getTime().getMillis());
            assertEquals("aws.scheduler", fired.getSource());
        }
        assertEquals(1, invoker.count("SettlementFunction"), "the disabled month-end schedule did not fire");
    }
}
