package com.onepoint.devkit.sqs;

import org.elasticmq.BinaryMessageAttribute;
import org.elasticmq.DeduplicationId;
import org.elasticmq.MessageAttribute;
import org.elasticmq.MessageContent;
import org.elasticmq.NeverReceived$;
import org.elasticmq.NumberMessageAttribute;
import org.elasticmq.OnDateTimeReceived;
import org.elasticmq.StringMessageAttribute;
import org.elasticmq.TracingId;
import org.elasticmq.actor.queue.InternalMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.collection.mutable.ArrayBuffer;
import scala.jdk.javaapi.CollectionConverters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal's ordering rules and files, without ElasticMQ: events fed in the orders ElasticMQ can produce. */
class SqsJournalTest {
    private static final long IN_FLIGHT = Long.MAX_VALUE / 2;
    private static final long VISIBLE = 0;

    @Test
    void aRemovalThatArrivesBeforeItsSendKeepsTheLateSendOut(@TempDir Path dir) {
        try (SqsJournal j = open(dir, Duration.ofSeconds(5))) {
            await(r -> j.remove("q", "a", r));
            await(r -> j.add("q", "a", state("a", IN_FLIGHT), r));
            await(r -> j.add("q", "b", state("b", IN_FLIGHT), r));
        }
        assertEquals(List.of("b"), ids(dir, "q"));
    }

    @Test
    void anUpdateOfAMessageNotInTheJournalIsIgnored(@TempDir Path dir) {
        try (SqsJournal j = open(dir, Duration.ofSeconds(5))) {
            await(r -> j.add("q", "a", state("a", IN_FLIGHT), r));
            await(r -> j.remove("q", "a", r));
            await(r -> j.update("q", "a", state("a", IN_FLIGHT), r)); // arrived after the delete
        }
        assertEquals(List.of(), ids(dir, "q"));
    }

    @Test
    void deletingAnInFlightMessageIsWrittenAtOnce(@TempDir Path dir) {
        try (SqsJournal j = open(dir, Duration.ofHours(1))) {
            await(r -> j.add("q", "a", state("a", VISIBLE), r));
            await(r -> j.update("q", "a", state("a", System.currentTimeMillis() + 30_000), r)); // received
            await(r -> j.remove("q", "a", r));
        }
        assertEquals(List.of(), ids(dir, "q"));
    }

    @Test
    void aMoveToTheDlqIsWrittenOnceTheDlqHasTheMessageInEitherOrder(@TempDir Path dir) {
        try (SqsJournal j = open(dir, Duration.ofHours(1))) {
            await(r -> j.add("src", "a", state("a", VISIBLE), r));
            await(r -> j.add("src", "b", state("b", VISIBLE), r));
            // a: removed from the source first, then added to the DLQ
            await(r -> j.remove("src", "a", r));
            await(r -> j.add("dlq", "a", state("a", VISIBLE), r));
            // b: the other order
            await(r -> j.add("dlq", "b", state("b", VISIBLE), r));
            await(r -> j.remove("src", "b", r));
        }
        assertEquals(List.of(), ids(dir, "src"));
        assertEquals(List.of("a", "b"), ids(dir, "dlq"));
    }

    @Test
    void aRemovedVisibleMessageStaysOnDiskForTheGraceOnly(@TempDir Path dir) {
        try (SqsJournal j = open(dir, Duration.ofHours(1))) {
            await(r -> j.add("src", "a", state("a", VISIBLE), r));
            await(r -> j.remove("src", "a", r)); // a move whose destination never reported (or a late delete)
        }
        assertEquals(List.of("a"), ids(dir, "src"), "a stop within the grace keeps it: delivered again, never lost");

        try (SqsJournal j = open(dir, Duration.ofMillis(100))) {
            await(r -> j.remove("src", "a", r));
            DurableQueues.sleep(600); // the writer checks every 250 ms
        }
        assertEquals(List.of(), ids(dir, "src"));
    }

    @Test
    void droppingAQueueForgetsItsMessages(@TempDir Path dir) {
        try (SqsJournal j = open(dir, Duration.ofSeconds(5))) {
            await(r -> j.add("q", "a", state("a", IN_FLIGHT), r));
            await(r -> j.add("other", "b", state("b", IN_FLIGHT), r));
            j.dropQueue("q");
            await(r -> j.add("other", "c", state("c", IN_FLIGHT), r));
        }
        assertEquals(List.of(), ids(dir, "q"));
        assertEquals(List.of("b", "c"), ids(dir, "other"));
    }

    @Test
    void manyAddsAndRemovesLeaveOnlyTheLiveMessages(@TempDir Path dir) throws Exception {
        try (SqsJournal j = open(dir, Duration.ofSeconds(5))) {
            await(r -> j.add("q", "keep", state("keep", IN_FLIGHT), r));
            for (int i = 0; i < 300; i++) {
                String id = "m-" + i;
                await(r -> j.add("q", id, state(id, IN_FLIGHT), r));
                await(r -> j.remove("q", id, r));
            }
        }
        assertEquals(List.of("keep"), ids(dir, "q"));
        long size = Files.size(dir.resolve(SqsJournal.STORE_FILE));
        assertTrue(size < 4L << 20, "600 commits of one message each: " + size);
    }

    @Test
    void messagesComeBackInSendOrderAndAnUpdateKeepsItsPlace(@TempDir Path dir) {
        List<String> sent = List.of("z", "c", "m", "a", "q");
        try (SqsJournal j = open(dir, Duration.ofSeconds(5))) {
            for (String id : sent) {
                await(r -> j.add("fifo", id, state(id, IN_FLIGHT), r));
            }
            await(r -> j.update("fifo", "z", state("z", IN_FLIGHT + 1), r)); // received again: still the first
        }
        assertEquals(sent, ids(dir, "fifo"));
        try (SqsJournal j = open(dir, Duration.ofSeconds(5))) {
            await(r -> j.remove("fifo", "c", r));
            await(r -> j.add("fifo", "b", state("b", IN_FLIGHT), r)); // after a reopen: still after the others
        }
        assertEquals(List.of("z", "m", "a", "q", "b"), ids(dir, "fifo"));
        try (SqsJournal j = open(dir, Duration.ofSeconds(5))) {
            assertEquals(IN_FLIGHT + 1, j.restore("fifo").get(0).nextDelivery(), "the update's state is the one kept");
            assertEquals(5, j.openedMessages());
            assertEquals(java.util.Set.of("fifo"), j.openedQueues());
        }
    }

    @Test
    void aTornTailOfTheStoreFileLosesNothingThatWasSynced(@TempDir Path dir) throws Exception {
        try (SqsJournal j = open(dir, Duration.ofSeconds(5))) {
            await(r -> j.add("q", "a", state("a", IN_FLIGHT), r));
            await(r -> j.add("q", "b", state("b", IN_FLIGHT), r));
        }
        byte[] torn = new byte[10_000]; // a chunk a crash left half written at the end of the file
        new java.util.Random(1).nextBytes(torn);
        Files.write(dir.resolve(SqsJournal.STORE_FILE), torn, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of("a", "b"), ids(dir, "q"));
        try (SqsJournal j = open(dir, Duration.ofSeconds(5))) {
            await(r -> j.add("q", "c", state("c", IN_FLIGHT), r)); // and the store goes on from there
        }
        assertEquals(List.of("a", "b", "c"), ids(dir, "q"));
    }

    @Test
    void aSecondJournalOnTheSameDirectoryIsRefusedUntilTheFirstCloses(@TempDir Path dir) {
        try (SqsJournal first = open(dir, Duration.ofSeconds(5))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> open(dir, Duration.ofSeconds(5)).close());
            assertTrue(e.getMessage().contains("is in use by another LocalSqs"), e.getMessage());
            await(r -> first.add("q", "a", state("a", IN_FLIGHT), r));
        }
        assertEquals(List.of("a"), ids(dir, "q"));
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        ArrayBuffer<String> receipts = new ArrayBuffer<>();
        receipts.addOne("r-1");
        receipts.addOne("r-2");
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put("s", new StringMessageAttribute("가나다 ü", Option.apply("custom")));
        attributes.put("n", new NumberMessageAttribute("-12.5", Option.empty()));
        attributes.put("b", BinaryMessageAttribute.fromBase64("AAEC/w==", Option.apply("bin")));
        OffsetDateTime created = OffsetDateTime.of(2025, 3, 1, 9, 30, 15, 123_456_789, ZoneOffset.ofHours(9));
        InternalMessage m = new InternalMessage("id-1", receipts, 1_234_567L, new MessageContent("{\"name\":\"김\"}"),
                scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(attributes)), created, 7,
                new OnDateTimeReceived(created.plusSeconds(3)), 2, true, Option.apply("group"),
                Option.apply(new DeduplicationId("dedup")), Option.apply(new TracingId("trace")), Option.apply("42"),
                Option.apply("source-queue"));

        InternalMessage back = MessageCodec.decode("id-1", MessageCodec.encode(m));

        assertEquals(m, back); // a case class: every field, receipts and attributes by value
        assertEquals("가나다 ü", ((StringMessageAttribute) back.messageAttributes().apply("s")).stringValue());
        assertArrayEquals(new byte[] {0, 1, 2, -1}, java.util.Base64.getDecoder().decode(
                ((BinaryMessageAttribute) back.messageAttributes().apply("b")).asBase64()));
        assertEquals(1_234_567L, MessageCodec.nextDelivery(MessageCodec.encode(m)));

        InternalMessage plain = message("p", 5);
        InternalMessage plainBack = MessageCodec.decode("p", MessageCodec.encode(plain));
        assertEquals(plain, plainBack);
        assertEquals(NeverReceived$.MODULE$, plainBack.firstReceive());
        assertTrue(plainBack.messageGroupId().isEmpty());
    }

    // ------------------------------------------------------------------ helpers

    private static SqsJournal open(Path dir, Duration moveGrace) {
        return SqsJournal.open(dir, true, moveGrace);
    }

    private static List<String> ids(Path dir, String queue) {
        try (SqsJournal j = open(dir, Duration.ofSeconds(5))) {
            return j.restore(queue).stream().map(InternalMessage::id).toList();
        }
    }

    private static byte[] state(String id, long nextDelivery) {
        return MessageCodec.encode(message(id, nextDelivery));
    }

    private static InternalMessage message(String id, long nextDelivery) {
        return new InternalMessage(id, new ArrayBuffer<>(), nextDelivery, new MessageContent("body of " + id),
                scala.collection.immutable.Map$.MODULE$.empty(), OffsetDateTime.now(), 0, NeverReceived$.MODULE$, 0,
                false, Option.empty(), Option.empty(), Option.empty(), Option.empty(), Option.empty());
    }

    private interface Call {
        void submit(SqsJournal.Reply reply);
    }

    /** Submits one operation and waits for its answer, as ElasticMQ's queue actor waits before answering. */
    private static void await(Call call) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        call.submit(done::complete);
        try {
            Throwable failure = done.get(5, TimeUnit.SECONDS);
            if (failure != null) {
                throw new AssertionError("journal failed", failure);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
