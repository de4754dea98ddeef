package com.onepoint.devkit.events;

import com.onepoint.devkit.FunctionRefs;
import com.onepoint.devkit.Props;
import com.onepoint.devkit.UnsupportedTemplateException;
import com.onepoint.devkit.sqs.LocalSqs;

import java.util.Set;

/**
 * One target of a rule or schedule: a queue of the template (SendMessage) or a function (asynchronous invoke),
 * with what it receives ({@link TargetInput}), how often a failed function invocation is retried, and the
 * dead-letter queue that then gets the event.
 */
public record RuleTarget(String id, String arn, String functionId, String queueUrl, TargetInput input,
                         String messageGroupId, int maximumRetryAttempts, String deadLetterQueueUrl) {
    /** Retries of a failed function invocation when the template sets no RetryPolicy (Lambda's async default). */
    public static final int DEFAULT_RETRIES = 2;
    private static final Set<String> SUPPORTED = Set.of("Id", "Arn", "Input", "InputPath", "SqsParameters",
            "RetryPolicy", "DeadLetterConfig");
    private static final Set<String> AWS_ONLY = Set.of("RoleArn");

    public boolean isFunction() {
        return functionId != null;
    }

    public String describe() {
        return isFunction() ? "function " + functionId : "queue " + queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }

    /** One entry of an {@code AWS::Events::Rule}'s Targets (resolved). */
    public static RuleTarget of(Props target, LocalSqs sqs, FunctionRefs functions) {
        target.only(SUPPORTED, AWS_ONLY);
        String arn = target.required("Arn");
        String functionId = functions.logicalIdOf(arn);
        String queueUrl = functionId == null && sqs.has(arn) ? sqs.urlOf(arn) : null;
        if (functionId == null && queueUrl == null) {
            throw new UnsupportedTemplateException(target.where("Arn"),
                    arn + " is neither a queue nor a function of this template");
        }
        Props sqsParams = target.props("SqsParameters").only(Set.of("MessageGroupId"), Set.of());
        return new RuleTarget(target.string("Id"), arn, functionId, queueUrl, TargetInput.of(target),
                sqsParams.string("MessageGroupId"), retries(target), deadLetterQueue(target, sqs));
    }

    /** The function of a SAM {@code EventBridgeRule}/{@code Schedule} event: its own rule's only target. */
    public static RuleTarget function(String functionId, String arn, TargetInput input, Props event, LocalSqs sqs) {
        return new RuleTarget(functionId, arn, functionId, null, input, null, retries(event), deadLetterQueue(event, sqs));
    }

    static int retries(Props owner) {
        Props policy = owner.props("RetryPolicy")
                .only(Set.of("MaximumRetryAttempts"), Set.of("MaximumEventAgeInSeconds"));
        int retries = policy.integer("MaximumRetryAttempts", DEFAULT_RETRIES);
        if (retries < 0 || retries > 185) {
            throw new UnsupportedTemplateException(policy.where("MaximumRetryAttempts"), "must be 0..185, got " + retries);
        }
        return retries;
    }

    static String deadLetterQueue(Props owner, LocalSqs sqs) {
        Props dlq = owner.props("DeadLetterConfig").only(Set.of("Arn"), Set.of());
        if (!dlq.has("Arn")) {
            return null;
        }
        String arn = dlq.string("Arn");
        if (!sqs.has(arn)) {
            throw new UnsupportedTemplateException(dlq.where("Arn"), arn + " is not a queue of this template");
        }
        return sqs.urlOf(arn);
    }
}
