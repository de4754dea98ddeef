package com.onepoint.point;

import com.onepoint.shared.domain.LedgerEntry;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.dynamo.LedgerMovement;
import com.onepoint.shared.table.LedgerTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.Map;

/**
 * One points-stream image → at most one statement entry, keyed by the account's version: the entry's points are the
 * movement the write recorded, its balanceAfter the NEW image's balance. A replayed record finds its entry written
 * and is a conditional no-op, so each movement is in the statement exactly once.
 */
final class LedgerProjection {
    enum Outcome { APPLIED, ALREADY_APPLIED, NO_MOVEMENT }

    private final DynamoDbClient db;
    private final String ledgerTable;

    LedgerProjection(DynamoDbClient db, String ledgerTable) {
        this.db = db;
        this.ledgerTable = ledgerTable;
    }

    /** {@code oldImage} empty for an INSERT. */
    Outcome apply(Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
        if (newImage.isEmpty()) {
            return Outcome.NO_MOVEMENT; // accounts are never deleted; a REMOVE by hand moves no balance
        }
        long balance = Items.num(newImage, PointsTable.BALANCE);
        long before = oldImage.isEmpty() ? 0 : Items.num(oldImage, PointsTable.BALANCE);
        LedgerMovement movement = LedgerMovement.of(newImage);
        LedgerMovement previous = oldImage.isEmpty() ? null : LedgerMovement.of(oldImage);
        if (movement == null || movement.equals(previous) && balance == before) {
            if (balance != before) {
                // a balance write without its movement would leave the statement short: fail loudly instead
                throw new IllegalStateException("balance of " + Items.str(newImage, PointsTable.MEMBER_ID)
                        + " changed by " + (balance - before) + " without a recorded movement");
            }
            return Outcome.NO_MOVEMENT; // join, or a write that moved nothing
        }
        if (balance - before != movement.points()) {
            throw new IllegalStateException("movement " + movement.kind() + " of " + movement.points()
                    + " does not match the balance change " + (balance - before) + " at version "
                    + Items.num(newImage, PointsTable.VERSION));
        }
        LedgerEntry entry = new LedgerEntry(Items.str(newImage, PointsTable.MEMBER_ID),
                Items.num(newImage, PointsTable.VERSION), movement.kind(), movement.points(), balance,
                movement.dealId(), movement.refundId(), movement.adjustmentId(), movement.at());
        try {
            db.putItem(b -> b.tableName(ledgerTable).item(LedgerTable.SCHEMA.itemToMap(entry, true))
                    .conditionExpression("attribute_not_exists(#version)")
                    .expressionAttributeNames(Map.of("#version", LedgerTable.VERSION)));
            return Outcome.APPLIED;
        } catch (ConditionalCheckFailedException e) {
            return Outcome.ALREADY_APPLIED;
        }
    }
}
