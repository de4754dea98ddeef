package com.onepoint.devkit.sqs;

import com.onepoint.devkit.SamTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.onepoint.devkit.sqs.DurableQueues.drain;
import static com.onepoint.devkit.sqs.DurableQueues.receiveCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LocalSqs on a data directory: what a clean restart finds. The kill -9 case is {@link LocalSqsCrashTest}. */
class DurableLocalSqsTest {

    @Test
    void aRestartFindsExactlyTheUndeletedMessagesWithTheirReceiveCounts(@TempDir Path dir) {
        SamTemplate template = DurableQueues.template(dir);
        Path data = dir.resolve("data");
        Map<String, String> bodies = new LinkedHashMap<>(); // id → body of every message sent to Work
        Set<String> deleted = new LinkedHashSet<>();
        Set<String> inFlight = new LinkedHashSet<>();
        String five;
        List<String> ordered = new ArrayList<>();
        try (LocalSqs sqs = LocalSqs.start(template, data)) {
            assertEquals(0, sqs.restoredMessages());
            SqsClient client = sqs.client();
            String work = sqs.urlOf("Work");
            for (int i = 0; i < 20; i++) {
                String body = i % 5 == 0 ? "{\"memberName\":\"김포인트 " + i + "\",\"note\":\"ünïcödé €\"}" : "m-" + i;
                int n = i;
                String id = client.sendMessage(b -> b.queueUrl(work).messageBody(body).messageAttributes(Map.of(
                        "n", MessageAttributeValue.builder().dataType("Number").stringValue(String.valueOf(n)).build(),
                        "kind", MessageAttributeValue.builder().dataType("String.restore").stringValue("rest").build())))
                        .messageId();
                bodies.put(id, body);
            }
            for (Message m : client.receiveMessage(b -> b.queueUrl(work).maxNumberOfMessages(4).visibilityTimeout(30))
                    .messages()) {
                client.deleteMessage(b -> b.queueUrl(work).receiptHandle(m.receiptHandle()));
                deleted.add(m.messageId());
            }
            // in flight when the process stops: received, not deleted, 1 s visibility timeout (the queue's)
            client.receiveMessage(b -> b.queueUrl(work).maxNumberOfMessages(6)).messages()
                    .forEach(m -> inFlight.add(m.messageId()));
            assertEquals(4, deleted.size());
            assertEquals(6, inFlight.size());

            // received five times (visible again at once each time): the next receive moves it to the DLQ
            String retry = sqs.urlOf("Retry");
            five = client.sendMessage(b -> b.queueUrl(retry).messageBody("five")).messageId();
            for (int receive = 1; receive <= 5; receive++) {
                List<Message> got = client.receiveMessage(b -> b.queueUrl(retry).visibilityTimeout(0)).messages();
                assertEquals(1, got.size(), "receive " + receive);
            }

            String fifo = sqs.urlOf("Ordered");
            for (int i = 0; i < 5; i++) {
                String body = "order-" + i;
                ordered.add(client.sendMessage(b -> b.queueUrl(fifo).messageBody(body).messageGroupId("g")).messageId());
            }
        }

        try (LocalSqs sqs = LocalSqs.start(template, data)) {
            assertEquals(16 + 1 + 5, sqs.restoredMessages(), sqs.storage());
            assertTrue(sqs.storage().startsWith(data.resolve("sqs").toString()), sqs.storage());
            SqsClient client = sqs.client();
            // the queues are the template's, once each
            assertEquals(4, client.listQueues().queueUrls().size(), client.listQueues().queueUrls().toString());
            assertEquals(16, sqs.approximateCount("Work"));

            Map<String, Message> work = drain(client, sqs.urlOf("Work"), 1_500);
            Map<String, String> expected = new LinkedHashMap<>(bodies);
            expected.keySet().removeAll(deleted);
            assertEquals(expected.keySet(), work.keySet(), "exactly the undeleted messages, each once");
            for (Message m : work.values()) {
                assertEquals(expected.get(m.messageId()), m.body(), "body, UTF-8 intact");
                assertEquals("rest", m.messageAttributes().get("kind").stringValue());
                assertEquals("String.restore", m.messageAttributes().get("kind").dataType());
                assertEquals("Number", m.messageAttributes().get("n").dataType());
                assertEquals(inFlight.contains(m.messageId()) ? 2 : 1, receiveCount(m),
                        "receive count of " + m.messageId() + (inFlight.contains(m.messageId()) ? " (was in flight)" : ""));
            }
            work.values().stream().limit(10).forEach(m -> client.deleteMessage(b -> b.queueUrl(sqs.urlOf("Work"))
                    .receiptHandle(m.receiptHandle())));

            // its receive count survived: the sixth receive, the first after the restart, moves it to the DLQ
            assertEquals(0, client.receiveMessage(b -> b.queueUrl(sqs.urlOf("Retry")).waitTimeSeconds(0)).messages().size());
            Map<String, Message> dlq = drain(client, sqs.urlOf("RetryDlq"), 300);
            assertEquals(Set.of(five), dlq.keySet());
            assertEquals("five", dlq.get(five).body());

            List<String> order = new ArrayList<>();
            String fifo = sqs.urlOf("Ordered");
            while (order.size() < 5) {
                List<Message> got = client.receiveMessage(b -> b.queueUrl(fifo).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages();
                assertFalse(got.isEmpty(), "FIFO messages after " + order);
                for (Message m : got) {
                    order.add(m.messageId());
                    client.deleteMessage(b -> b.queueUrl(fifo).receiptHandle(m.receiptHandle()));
                }
            }
            assertEquals(ordered, order, "FIFO order kept across the restart");
        }

        // the second session's deletes and the DLQ move were stored too
        try (LocalSqs sqs = LocalSqs.start(template, data)) {
            assertEquals(6 + 1, sqs.restoredMessages(), sqs.storage());
            assertEquals(6, sqs.approximateCount("Work"));
            assertEquals(0, sqs.approximateCount("Retry"));
            assertEquals(1, sqs.approximateCount("RetryDlq"));
            assertEquals(0, sqs.approximateCount("Ordered"));
        }
    }

    @Test
    void aTornTailOfTheStoreIsIgnoredAndEverythingBeforeItKept(@TempDir Path dir) throws Exception {
        SamTemplate template = DurableQueues.template(dir);
        Path data = dir.resolve("data");
        Set<String> sent = new LinkedHashSet<>();
        try (LocalSqs sqs = LocalSqs.start(template, data)) {
            for (int i = 0; i < 3; i++) {
                String body = "t-" + i;
                sent.add(sqs.client().sendMessage(b -> b.queueUrl(sqs.urlOf("Work")).messageBody(body)).messageId());
            }
        }
        Path store = data.resolve("sqs").resolve(SqsJournal.STORE_FILE);
        // what a crash in the middle of writing a new chunk at the end of the file leaves: bytes that are no chunk
        byte[] torn = new byte[6000];
        new java.util.Random(7).nextBytes(torn);
        Files.write(store, torn, StandardOpenOption.APPEND);
        try (LocalSqs sqs = LocalSqs.start(template, data)) {
            assertEquals(3, sqs.restoredMessages(), sqs.storage());
            Map<String, Message> got = drain(sqs.client(), sqs.urlOf("Work"), 300);
            assertEquals(sent, got.keySet());
            for (Message m : got.values()) {
                sqs.client().deleteMessage(d -> d.queueUrl(sqs.urlOf("Work")).receiptHandle(m.receiptHandle()));
            }
        }
        try (LocalSqs sqs = LocalSqs.start(template, data)) {
            assertEquals(0, sqs.restoredMessages(), "the deletes after the torn tail were kept: " + sqs.storage());
        }
    }

    @Test
    void messagesOfAQueueTheTemplateNoLongerDeclaresStayOnDisk(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (LocalSqs sqs = LocalSqs.start(DurableQueues.template(dir), data)) {
            sqs.client().sendMessage(b -> b.queueUrl(sqs.urlOf("RetryDlq")).messageBody("kept"));
        }
        Path small = Files.writeString(dir.resolve("small.yaml"), """
                Resources:
                  Work:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: durable-test-work
                """);
        try (LocalSqs sqs = LocalSqs.start(SamTemplate.load(small), data)) {
            assertEquals(0, sqs.restoredMessages());
            assertTrue(sqs.storage().endsWith("kept for queues not in this template: durable-test-retry-dlq)"), sqs.storage());
        }
        try (LocalSqs sqs = LocalSqs.start(DurableQueues.template(dir), data)) {
            assertEquals(1, sqs.restoredMessages());
            assertEquals("kept", drain(sqs.client(), sqs.urlOf("RetryDlq"), 300).values().iterator().next().body());
        }
    }

    @Test
    void oneLocalSqsAtATimePerDirectory(@TempDir Path dir) {
        SamTemplate template = DurableQueues.template(dir);
        Path data = dir.resolve("data");
        try (LocalSqs first = LocalSqs.start(template, data)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalSqs.boot(template, data).close());
            assertTrue(e.getMessage().contains("is in use by another LocalSqs"), e.getMessage());
            assertEquals("1", first.client().getQueueAttributes(b -> b.queueUrl(first.urlOf("Work"))
                    .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes()
                    .get(QueueAttributeName.VISIBILITY_TIMEOUT), "the first one still serves");
        }
        try (LocalSqs again = LocalSqs.boot(template, data)) {
            assertTrue(again.storageDir().isPresent(), "free again once the first closed");
        }
    }

    @Test
    void inMemoryIsUnchanged(@TempDir Path dir) throws Exception {
        try (LocalSqs sqs = LocalSqs.start(DurableQueues.template(dir))) {
            assertEquals("in memory", sqs.storage());
            assertTrue(sqs.storageDir().isEmpty());
            sqs.client().sendMessage(b -> b.queueUrl(sqs.urlOf("Work")).messageBody("gone"));
        }
        try (LocalSqs sqs = LocalSqs.start(DurableQueues.template(dir))) {
            assertEquals(0, sqs.approximateCount("Work"));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of("durable.yaml"), files.map(p -> p.getFileName().toString()).toList(), "nothing written");
        }
    }
}
