package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.table.LedgerTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.List;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The statement is exactly once per movement: replays and bisected retries write nothing twice. */
class LedgerProjectorTest {
    private PointStack stack;

    @BeforeEach
    void start() {
        stack = new PointStack();
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    private int entries() {
        return stack.dynamo.client().scan(b -> b.tableName(stack.table(LedgerTable.ENV)).select("COUNT")).count();
    }

    @ParameterizedTest
    @Event(value = "events/ledger-points-stream.json", type = DynamodbEvent.class)
    void theSameBatchTwiceWritesEachEntryOnce(DynamodbEvent event) {
        assertEquals(List.of(), stack.projector.handleRequest(event, null).getBatchItemFailures());
        assertEquals(4, entries());
        assertEquals(List.of(), stack.projector.handleRequest(event, null).getBatchItemFailures());
        // and a retry that starts halfway, as after a bisect
        DynamodbEvent tail = new DynamodbEvent();
        tail.setRecords(event.getRecords().subList(2, event.getRecords().size()));
        assertEquals(List.of(), stack.projector.handleRequest(tail, null).getBatchItemFailures());
        assertEquals(4, entries());
    }

    @ParameterizedTest
    @Event(value = "events/ledger-points-stream.json", type = DynamodbEvent.class)
    void aBalanceChangeWithoutItsMovementStopsTheBatchThere(DynamodbEvent event) {
        // record 3 (the use) loses its movement, as a writer that forgot LedgerMovement would leave it
        DynamodbEvent.DynamodbStreamRecord broken = event.getRecords().get(3);
        broken.getDynamodb().getNewImage().put("lastMovement", broken.getDynamodb().getOldImage().get("lastMovement"));

        StreamsEventResponse response = stack.projector.handleRequest(event, null);

        assertEquals(List.of(broken.getDynamodb().getSequenceNumber()),
                response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(2, entries(), "the records before it are applied, none after it");
    }

    @Test
    void theLedgersOwnWritesProjectWithTheBalanceAfterEach() {
        stack.member("m1");
        expect(201, stack.adjust("m1", 1000, "opening"));
        expect(201, stack.adjust("m1", -250, "correction"));
        stack.leave("m1");
        stack.project();
        stack.project(); // nothing new: nothing happens

        JsonNode ledger = body(expect(200, stack.ledger("m1", null, null)));
        assertEquals(List.of("FORFEIT", "ADJUSTMENT", "ADJUSTMENT"), ledger.get("entries").findValuesAsText("kind"));
        assertEquals(List.of(-750L, -250L, 1000L), LedgerFixturesTest.points(ledger));
        assertEquals(List.of(0L, 750L, 1000L),
                ledger.get("entries").findValues("balanceAfter").stream().map(JsonNode::asLong).toList());
        assertEquals(0, ledger.get("balance").asLong());
        assertEquals(Items.num(stack.dynamo.client().getItem(b -> b.tableName(stack.table("POINTS_TABLE"))
                .key(Items.key("memberId", "m1"))).item(), "balance"), ledger.at("/entries/0/balanceAfter").asLong());
        stack.assertAuditClean();
    }
}
