package com.onepoint.devkit.sqs;

import com.onepoint.devkit.SamTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 in the middle of a stream of sends and deletes: every SendMessage the child JVM saw answered is there after
 * the restart, and no message whose DeleteMessage it saw answered comes back.
 */
class LocalSqsCrashTest {
    private static final int KILL_AFTER_SENDS = 250;

    @Test
    void everyAcknowledgedSendSurvivesKillNine(@TempDir Path dir) throws Exception {
        Path template = DurableQueues.write(dir);
        Path data = dir.resolve("data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), template.toString(), data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        Set<String> deleting = ConcurrentHashMap.newKeySet(); // may be gone: the answer may have come before the kill
        CountDownLatch enough = new CountDownLatch(1);
        List<String> unexpected = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("SENT ")) {
                        sent.add(line.substring(5));
                        if (sent.size() >= KILL_AFTER_SENDS) {
                            enough.countDown();
                        }
                    } else if (line.startsWith("DELETING ")) {
                        deleting.add(line.substring(9));
                    } else if (line.startsWith("DELETED ")) {
                        deleted.add(line.substring(8));
                    } else if (!line.equals("READY")) {
                        unexpected.add(line);
                    }
                }
            } catch (Exception e) {
                unexpected.add(String.valueOf(e));
            }
            enough.countDown();
        });
        reader.start();
        // meanwhile load ElasticMQ's classes in this JVM, so that the restart below measures the restart
        try (LocalSqs warm = LocalSqs.start(SamTemplate.load(template))) {
            warm.client().listQueues();
        }
        try {
            assertTrue(enough.await(30, TimeUnit.SECONDS), "the child did not get " + KILL_AFTER_SENDS + " sends answered");
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            reader.join(5_000);
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        assertTrue(sent.size() >= KILL_AFTER_SENDS, "sent " + sent.size() + ", child said " + unexpected);
        assertTrue(deleted.size() > 10, "deleted " + deleted.size());

        Set<String> acknowledged = new HashSet<>(sent);
        acknowledged.removeAll(deleted);
        acknowledged.removeAll(deleting);
        try (LocalSqs sqs = LocalSqs.start(SamTemplate.load(template), data)) {
            String work = sqs.urlOf("Work");
            Set<String> present = new HashSet<>();
            int restored = sqs.restoredMessages();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6); // in flight at the kill: back after 2 s
            while (present.size() < restored && System.nanoTime() < deadline) {
                List<Message> got = sqs.client().receiveMessage(b -> b.queueUrl(work).maxNumberOfMessages(10)
                        .waitTimeSeconds(0).visibilityTimeout(60)).messages();
                got.forEach(m -> present.add(m.messageId()));
                if (got.isEmpty()) {
                    DurableQueues.sleep(50);
                }
            }
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(present);
            assertEquals(Set.of(), lost, "acknowledged sends lost (of " + acknowledged.size() + ")");
            Set<String> resurrected = new HashSet<>(deleted);
            resurrected.retainAll(present);
            assertEquals(Set.of(), resurrected, "acknowledged deletes undone");
            assertEquals(restored, present.size(), "every restored message is delivered: " + sqs.storage());
            // at most what each sender had answered but not yet printed, or sent but not yet answered
            assertTrue(present.size() - acknowledged.size() <= 10, "extra messages: " + (present.size() - acknowledged.size()));
        }
    }
}
