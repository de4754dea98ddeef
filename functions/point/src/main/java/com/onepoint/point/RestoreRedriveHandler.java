package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.http.ApiHandler;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.snapstart.Priming;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;
import java.util.Map;

import static com.onepoint.shared.http.ApiResponses.json;

/**
 * RestoreRedriveFunction: {@code POST /admin/restore-dlq/redrive} moves the restore dead-letter queue's messages
 * back to the restore queue, once the cause of the failures is fixed. Send first, then delete: a crash in between
 * leaves a duplicate, which the restore consumer ignores (restoration is exactly-once per deal).
 * In AWS, {@code aws sqs start-message-move-task --source-arn <dlq arn>} does the same (see README).
 */
public class RestoreRedriveHandler extends ApiHandler {
    /** One call moves at most this many messages, so it finishes well inside the function's timeout. */
    static final int MAX_PER_CALL = 1000;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterQueueUrl;

    public RestoreRedriveHandler() {
        this(Env.system(), AwsClients.sqs(Env.system()));
    }

    public RestoreRedriveHandler(Env env, SqsClient sqs) {
        this.sqs = sqs;
        this.queueUrl = env.require("RESTORE_QUEUE_URL");
        this.deadLetterQueueUrl = env.require("RESTORE_DLQ_URL");
    }

    @Override
    protected APIGatewayProxyResponseEvent route(ApiRequest request) {
        if (!request.routeKey().equals("POST /admin/restore-dlq/redrive")) {
            throw noRoute(request);
        }
        request.caller().requireAdmin();
        return json(200, Map.of("moved", redrive()));
    }

    public int redrive() {
        int moved = 0;
        while (moved < MAX_PER_CALL) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(deadLetterQueueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (messages.isEmpty()) {
                return moved;
            }
            for (Message m : messages) {
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(m.body()).messageAttributes(m.messageAttributes()));
                sqs.deleteMessage(b -> b.queueUrl(deadLetterQueueUrl).receiptHandle(m.receiptHandle()));
                moved++;
            }
        }
        return moved;
    }

    @Override
    protected Priming priming() {
        return new Priming()
                // a merchant may not redrive: refused before the queue is touched
                .request("POST", "/admin/restore-dlq/redrive", Map.of(), null, Caller.merchant(Priming.ABSENT_ID))
                // a read: receiving would hide the messages for a visibility timeout
                .step("sqs", () -> sqs.getQueueAttributes(b -> b.queueUrl(deadLetterQueueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)));
    }
}
