package com.onepoint.devkit.sqs;

import com.onepoint.devkit.SamTemplate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The process {@link LocalSqsCrashTest} kills: boots LocalSqs on a data directory ({@code args[0]} the template,
 * {@code args[1]} the data directory), prints {@code READY}, then sends from a few threads until it is killed,
 * printing {@code SENT <id>} after each acknowledged SendMessage. One thread also receives (in flight for 2 s) and
 * deletes, printing {@code DELETING <id>} before each DeleteMessage and {@code DELETED <id>} once it is answered.
 */
public final class CrashChild {
    private static final int SENDERS = 4;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream())); // ElasticMQ, JsonLog: not on the pipe
        LocalSqs sqs = LocalSqs.start(SamTemplate.load(Path.of(args[0])), Path.of(args[1]));
        SqsClient client = sqs.client();
        String work = sqs.urlOf("Work");
        synchronized (out) {
            out.println("READY");
        }
        for (int t = 0; t < SENDERS; t++) {
            int sender = t;
            Thread thread = new Thread(() -> {
                for (long i = 0; ; i++) {
                    String body = "crash-" + sender + "-" + i;
                    String id = client.sendMessage(b -> b.queueUrl(work).messageBody(body)).messageId();
                    synchronized (out) {
                        out.println("SENT " + id);
                    }
                    if (sender == 0 && i % 3 == 0) {
                        List<Message> got = client.receiveMessage(b -> b.queueUrl(work).maxNumberOfMessages(2)
                                .visibilityTimeout(2)).messages();
                        for (Message m : got) {
                            synchronized (out) {
                                out.println("DELETING " + m.messageId());
                            }
                            client.deleteMessage(b -> b.queueUrl(work).receiptHandle(m.receiptHandle()));
                            synchronized (out) {
                                out.println("DELETED " + m.messageId());
                            }
                        }
                    }
                }
            }, "sender-" + t);
            thread.start();
        }
        Thread.sleep(Long.MAX_VALUE); // until killed
    }
}
