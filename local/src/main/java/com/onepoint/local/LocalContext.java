package com.onepoint.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.nio.charset.StandardCharsets;

/** The Lambda {@link Context} of one local invocation: its request id, the function's name, memory and deadline. */
final class LocalContext implements Context {
    /** Lambda writes a function's own log calls to its log stream; locally that is stdout. */
    private static final LambdaLogger STDOUT = new LambdaLogger() {
        @Override
        public void log(String message) {
            System.out.println(message);
        }

        @Override
        public void log(byte[] message) {
            System.out.println(new String(message, StandardCharsets.UTF_8));
        }
    };

    private final String requestId;
    private final FunctionSpec spec;
    private final long deadlineMillis;

    LocalContext(String requestId, FunctionSpec spec) {
        this.requestId = requestId;
        this.spec = spec;
        this.deadlineMillis = System.currentTimeMillis() + spec.timeoutSeconds() * 1000L;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + spec.functionName();
    }

    @Override
    public String getLogStreamName() {
        return "local/[$LATEST]" + spec.logicalId();
    }

    @Override
    public String getFunctionName() {
        return spec.functionName();
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return spec.arn();
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    /** Counts down from the template's Timeout; the local runtime reports it but does not stop a late function. */
    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return spec.memoryMb();
    }

    @Override
    public LambdaLogger getLogger() {
        return STDOUT;
    }
}
