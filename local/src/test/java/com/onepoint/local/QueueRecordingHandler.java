package com.onepoint.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.onepoint.shared.aws.Env;

/** Test function for the extension point: takes an SQSEvent and answers with the queue URL its environment names. */
public class QueueRecordingHandler implements RequestHandler<SQSEvent, String> {
    private final Env env;

    public QueueRecordingHandler(Env env) {
        this.env = env;
    }

    @Override
    public String handleRequest(SQSEvent event, Context context) {
        return env.require("QUEUE_URL") + " got " + event.getRecords().size();
    }
}
