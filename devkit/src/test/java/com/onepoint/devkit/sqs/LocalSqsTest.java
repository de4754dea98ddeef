package com.onepoint.devkit.sqs;

import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.SharedCloud;
import com.onepoint.devkit.UnsupportedTemplateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(SharedCloud.class)
class LocalSqsTest {
    private static LocalSqs sqs() {
        return SharedCloud.cloud().sqs();
    }

    @Test
    void createsEveryQueueWithNamesUrlsAndArns() {
        LocalSqs sqs = sqs();
        assertEquals("http://127.0.0.1:" + sqs.endpoint().getPort(), sqs.endpoint().toString());
        assertEquals("onepoint-test-manual", sqs.getAtt("ManualQueue", "QueueName"));
        assertEquals("arn:aws:sqs:ap-northeast-2:000000000000:onepoint-test-manual-dlq", sqs.getAtt("ManualDlq", "Arn"));
        assertEquals("onepoint-test-FilteredQueue", sqs.getAtt("FilteredQueue", "QueueName"));
        assertEquals("onepoint-test-Ordered.fifo", sqs.getAtt("Ordered", "QueueName"));
        assertTrue(sqs.ref("ManualQueue").startsWith(sqs.endpoint().toString()), sqs.ref("ManualQueue"));
        assertEquals(sqs.ref("ManualQueue"), sqs.client().getQueueUrl(b -> b.queueName("onepoint-test-manual")).queueUrl());
        assertNull(sqs.ref("DealsTable"));

        Map<QueueAttributeName, String> attrs = sqs.client().getQueueAttributes(b -> b.queueUrl(sqs.ref("ManualQueue"))
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertEquals("1", attrs.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        // MessageRetentionPeriod is accepted, but ElasticMQ neither reports nor enforces it
        assertEquals("{\"deadLetterTargetArn\":\"arn:aws:sqs:ap-northeast-2:000000000000:onepoint-test-manual-dlq\","
                + "\"maxReceiveCount\":5}", attrs.get(QueueAttributeName.REDRIVE_POLICY));
        assertTrue(sqs.client().getQueueAttributes(b -> b.queueUrl(sqs.ref("PollerQueue"))
                .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY)
                .contains("onepoint-test-PollerDlq"), "JSON-string RedrivePolicy");
        Map<QueueAttributeName, String> fifo = sqs.client().getQueueAttributes(b -> b.queueUrl(sqs.ref("Ordered"))
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertEquals("true", fifo.get(QueueAttributeName.FIFO_QUEUE));
        assertEquals("true", fifo.get(QueueAttributeName.CONTENT_BASED_DEDUPLICATION));
    }

    @Test
    void afterFiveReceivesAMessageMovesToTheDlqAndRedriveBringsItBack() {
        SqsClient client = sqs().client();
        String queue = sqs().urlOf("ManualQueue");
        client.sendMessage(b -> b.queueUrl(queue).messageBody("{\"dealId\":\"d-1\"}").messageAttributes(Map.of(
                "kind", MessageAttributeValue.builder().dataType("String").stringValue("restore").build())));
        for (int receive = 1; receive <= 5; receive++) {
            List<Message> got = client.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            assertEquals(1, got.size(), "receive " + receive);
            assertEquals(String.valueOf(receive), got.get(0).attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
            // visible again at once, instead of after the 1 s visibility timeout
            client.changeMessageVisibility(b -> b.queueUrl(queue).receiptHandle(got.get(0).receiptHandle()).visibilityTimeout(0));
        }
        assertEquals(0, client.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(0)).messages().size(),
                "the sixth receive finds the message gone to the DLQ");
        assertEquals(1, sqs().approximateCount("ManualDlq"));

        assertEquals(1, sqs().redrive("ManualDlq"));
        assertEquals(0, sqs().approximateCount("ManualDlq"));
        List<Message> back = client.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
        assertEquals(1, back.size());
        assertEquals("{\"dealId\":\"d-1\"}", back.get(0).body());
        assertEquals("restore", back.get(0).messageAttributes().get("kind").stringValue());
        assertEquals("1", back.get(0).attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
        client.deleteMessage(b -> b.queueUrl(queue).receiptHandle(back.get(0).receiptHandle()));
    }

    @Test
    void redriveByUrlToANamedQueue() {
        String dlq = sqs().urlOf("ManualDlq");
        sqs().client().sendMessage(b -> b.queueUrl(dlq).messageBody("a"));
        sqs().client().sendMessage(b -> b.queueUrl(dlq).messageBody("b"));
        assertEquals(2, sqs().redrive(dlq, "TickQueue"));
        assertEquals(2, sqs().approximateCount("TickQueue"));
        sqs().client().purgeQueue(b -> b.queueUrl(sqs().urlOf("TickQueue")));
    }

    @Test
    void redriveWithoutASourceNeedsOneQueueUsingTheDlq() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sqs().redrive("TickQueue"));
        assertTrue(e.getMessage().contains("0 queues use TickQueue"), e.getMessage());
    }

    @Test
    void unsupportedQueuePropertyNamesResourceAndPropertyBeforeStartingAnything(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                    Properties:
                      DeduplicationScope: messageGroup
                """);
        UnsupportedTemplateException e = assertThrows(UnsupportedTemplateException.class,
                () -> LocalSqs.start(SamTemplate.load(file)).close());
        assertEquals("Q (AWS::SQS::Queue).DeduplicationScope: not supported by the local runtime", e.getMessage());
    }

    @Test
    void aQueueIsCreatedAfterItsDeadLetterQueueAndQueuesOfOneWaveSideBySide(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                Resources:
                  Main:
                    Type: AWS::SQS::Queue
                    Properties:
                      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3}
                  Other:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: t-Other
                  Literal:
                    Type: AWS::SQS::Queue
                    Properties:
                      RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:ap-northeast-2:000000000000:t-Other","maxReceiveCount":3}'
                  Dlq:
                    Type: AWS::SQS::Queue
                """);
        SamTemplate template = SamTemplate.load(file);
        List<List<String>> waves = LocalSqs.waves(LocalSqs.dependencyOrder(template.resourcesOfType(LocalSqs.QUEUE_TYPE)))
                .stream().map(w -> w.stream().map(SamTemplate.Resource::logicalId).toList()).toList();
        // Literal names its DLQ by a literal ARN: it waits for every queue before it in the template
        assertEquals(List.of(List.of("Dlq", "Other"), List.of("Main"), List.of("Literal")), waves);
        try (LocalSqs sqs = LocalSqs.start(template)) {
            assertEquals(List.of("Dlq", "Other", "Main", "Literal"), List.copyOf(sqs.queues().keySet()));
            assertTrue(sqs.client().getQueueAttributes(b -> b.queueUrl(sqs.ref("Literal"))
                    .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY)
                    .contains("t-Other"));
        }
    }

    /**
     * The runtime opens its API while ElasticMQ boots: the queues' URLs and ARNs are known at once, and a call made
     * before the queues exist waits for them instead of failing.
     */
    @Test
    void urlsResolveAtOnceAndCallsWaitForTheQueues(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Work:
                    Type: AWS::SQS::Queue
                    Properties:
                      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 2}
                  Dlq:
                    Type: AWS::SQS::Queue
                """);
        SamTemplate template = SamTemplate.load(file);
        try (LocalSqs sqs = LocalSqs.startInBackground(null)) {
            sqs.createQueuesInBackground(template, null);
            String url = sqs.ref("Work"); // resolved before any queue exists
            assertEquals(sqs.endpoint() + "/000000000000/" + sqs.getAtt("Work", "QueueName"), url);

            sqs.client().sendMessage(b -> b.queueUrl(url).messageBody("first")); // waits until the queue exists

            assertTrue(sqs.whenReady().isDone());
            assertEquals(url, sqs.client().getQueueUrl(b -> b.queueName(sqs.getAtt("Work", "QueueName"))).queueUrl(),
                    "the URL ElasticMQ gives the queue is the one resolved before");
            assertEquals("first", sqs.client().receiveMessage(b -> b.queueUrl(url)).messages().get(0).body());
        }
    }

    @Test
    void whenElasticMqCannotStartEveryCallSaysSo(@TempDir Path dir) {
        SamTemplate template = DurableQueues.template(dir);
        Path data = dir.resolve("data");
        try (LocalSqs first = LocalSqs.start(template, data);
             LocalSqs second = LocalSqs.startInBackground(data)) { // the directory is locked by the first
            second.createQueuesInBackground(template, null);
            software.amazon.awssdk.core.exception.SdkClientException e = assertThrows(
                    software.amazon.awssdk.core.exception.SdkClientException.class,
                    () -> second.client().listQueues());
            assertTrue(e.getMessage().contains("the local queues did not start") && e.getMessage().contains("in use"),
                    e.getMessage());
            assertThrows(IllegalStateException.class, second::awaitReady);
            assertEquals(0, first.approximateCount("Work"), "the first one still serves");
        }
    }
}
