package com.onepoint.devkit.sqs;

import com.onepoint.devkit.SamTemplate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The small template the durability tests (and the crash test's child JVM) run, and helpers to drain a queue. */
final class DurableQueues {
    static final String TEMPLATE = """
            Parameters:
              Stage:
                Type: String
                Default: test
            Resources:
              Work:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub durable-${Stage}-work
                  VisibilityTimeout: 1
              Retry:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub durable-${Stage}-retry
                  VisibilityTimeout: 1
                  RedrivePolicy:
                    deadLetterTargetArn: !GetAtt RetryDlq.Arn
                    maxReceiveCount: 5
              RetryDlq:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub durable-${Stage}-retry-dlq
              Ordered:
                Type: AWS::SQS::Queue
                Properties:
                  FifoQueue: true
                  ContentBasedDeduplication: true
                  VisibilityTimeout: 1
            """;

    private DurableQueues() {
    }

    static Path write(Path dir) {
        try {
            return Files.writeString(dir.resolve("durable.yaml"), TEMPLATE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SamTemplate template(Path dir) {
        return SamTemplate.load(write(dir));
    }

    /**
     * Receives until the queue has been empty for {@code quietMillis} (in-flight messages come back when their
     * visibility timeout ends), keeping each message in flight for 30 s: message id → message, in receive order.
     */
    static Map<String, Message> drain(SqsClient client, String url, long quietMillis) {
        Map<String, Message> got = new LinkedHashMap<>();
        long quietSince = System.nanoTime();
        while ((System.nanoTime() - quietSince) / 1_000_000 < quietMillis) {
            List<Message> batch = client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .visibilityTimeout(30).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            for (Message m : batch) {
                if (got.put(m.messageId(), m) != null) {
                    throw new AssertionError("received twice within its visibility timeout: " + m.messageId());
                }
            }
            if (!batch.isEmpty()) {
                quietSince = System.nanoTime();
            } else {
                sleep(50);
            }
        }
        return got;
    }

    static int receiveCount(Message m) {
        return Integer.parseInt(m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
