package com.onepoint.devkit.sqs;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.onepoint.devkit.Props;
import com.onepoint.devkit.RecordingInvoker;
import com.onepoint.devkit.SharedCloud;
import com.onepoint.devkit.TestTemplates;
import com.onepoint.devkit.UnsupportedTemplateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(SharedCloud.class)
class SqsPollerTest {
    private static LocalSqs sqs() {
        return SharedCloud.cloud().sqs();
    }

    private static SQSEvent.SQSMessage only(Object event) {
        List<SQSEvent.SQSMessage> records = ((SQSEvent) event).getRecords();
        assertEquals(1, records.size(), "records " + records);
        return records.get(0);
    }

    /** RestoreFunction's SQS event of the template, started by EventSources: partial batch failure. */
    @Test
    void partialBatchFailureBringsBackOnlyTheFailedMessageThenTheDlqTakesIt() {
        RecordingInvoker invoker = SharedCloud.invoker().answer("RestoreFunction", event -> new SQSBatchResponse(
                ((SQSEvent) event).getRecords().stream().filter(m -> m.getBody().equals("poison"))
                        .map(m -> new SQSBatchResponse.BatchItemFailure(m.getMessageId())).toList()));
        String queue = sqs().urlOf("RestoreQueue");
        for (String body : List.of("ok-1", "poison", "ok-2")) {
            sqs().client().sendMessageBatch(b -> b.queueUrl(queue).entries(e -> e.id("m").messageBody(body)
                    .messageAttributes(Map.of("dealId", MessageAttributeValue.builder().dataType("String")
                            .stringValue("d-" + body).build()))));
        }
        // two receives of the poison message (maxReceiveCount 2), then ElasticMQ moves it to the DLQ
        TestTemplates.await(Duration.ofSeconds(10), "poison in the DLQ", () -> sqs().approximateCount("RestoreDlq") == 1);
        List<Object> events = invoker.events("RestoreFunction").stream()
                .filter(e -> ((SQSEvent) e).getRecords().get(0).getEventSourceArn().endsWith("restore")).toList();
        List<String> bodies = events.stream().flatMap(e -> ((SQSEvent) e).getRecords().stream())
                .map(SQSEvent.SQSMessage::getBody).toList();
        assertEquals(4, bodies.size(), "each ok message once, the poison one twice: " + bodies);
        assertEquals(2, bodies.stream().filter("poison"::equals).count());
        SQSEvent.SQSMessage retried = only(events.get(events.size() - 1));
        assertEquals("poison", retried.getBody());
        assertEquals("2", retried.getAttributes().get("ApproximateReceiveCount"));
        assertEquals("aws:sqs", retried.getEventSource());
        assertEquals(sqs().getAtt("RestoreQueue", "Arn"), retried.getEventSourceArn());
        assertEquals("ap-northeast-2", retried.getAwsRegion());
        assertEquals("d-poison", retried.getMessageAttributes().get("dealId").getStringValue());
        assertEquals("String", retried.getMessageAttributes().get("dealId").getDataType());
        assertTrue(retried.getAttributes().containsKey("SentTimestamp"), retried.getAttributes().toString());
        assertEquals(32, retried.getMd5OfBody().length());
        assertEquals(0, sqs().approximateCount("RestoreQueue"));
        sqs().client().purgeQueue(b -> b.queueUrl(sqs().urlOf("RestoreDlq")));
    }

    @Test
    void filterCriteriaMatchJsonBodiesAndUnmatchedMessagesAreDeleted() {
        String queue = sqs().urlOf("FilteredQueue");
        sqs().client().sendMessage(b -> b.queueUrl(queue).messageBody("{\"type\":\"restore\",\"dealId\":\"d-1\"}"));
        sqs().client().sendMessage(b -> b.queueUrl(queue).messageBody("{\"type\":\"other\"}"));
        sqs().client().sendMessage(b -> b.queueUrl(queue).messageBody("not json"));
        TestTemplates.await(Duration.ofSeconds(10), "queue drained", () -> sqs().approximateCount("FilteredQueue") == 0);
        List<String> delivered = SharedCloud.invoker().events("RestoreFunction").stream()
                .flatMap(e -> ((SQSEvent) e).getRecords().stream())
                .filter(m -> m.getEventSourceArn().endsWith("FilteredQueue")).map(SQSEvent.SQSMessage::getBody).toList();
        assertEquals(List.of("{\"type\":\"restore\",\"dealId\":\"d-1\"}"), delivered);
    }

    /** A poller built by hand on a queue no template event uses: a throwing function deletes nothing. */
    @Test
    void aThrowingFunctionDeletesNothingAndTheBatchComesBack() {
        String queue = sqs().urlOf("PollerQueue");
        sqs().client().sendMessage(b -> b.queueUrl(queue).messageBody("x"));
        RecordingInvoker invoker = new RecordingInvoker().answer("Manual", event -> {
            throw new IllegalStateException("down");
        });
        Props props = new Props(Map.of("Queue", sqs().getAtt("PollerQueue", "Arn")), "Manual.Events.Q.Properties");
        SqsPoller.Config config = SqsPoller.config(props, sqs());
        assertEquals("SQS onepoint-test-PollerQueue (batch 10)", config.describe());
        try (SqsPoller poller = new SqsPoller("Manual", config, sqs().client(), invoker).start()) {
            TestTemplates.await(Duration.ofSeconds(10), "message in the DLQ", () -> sqs().approximateCount("PollerDlq") == 1);
        }
        assertEquals(2, invoker.count("Manual"));
        assertEquals("1", only(invoker.events("Manual").get(0)).getAttributes().get("ApproximateReceiveCount"));
        assertEquals("2", only(invoker.events("Manual").get(1)).getAttributes().get("ApproximateReceiveCount"));
        sqs().client().purgeQueue(b -> b.queueUrl(sqs().urlOf("PollerDlq")));
    }

    @Test
    void unsupportedEventPropertyIsNamed() {
        Props props = new Props(Map.of("Queue", sqs().getAtt("PollerQueue", "Arn"), "TumblingWindowInSeconds", 5),
                "RestoreFunction (AWS::Serverless::Function).Events.Restore.Properties");
        UnsupportedTemplateException e = assertThrows(UnsupportedTemplateException.class, () -> SqsPoller.config(props, sqs()));
        assertEquals("RestoreFunction (AWS::Serverless::Function).Events.Restore.Properties.TumblingWindowInSeconds: "
                + "not supported by the local runtime", e.getMessage());
    }
}
