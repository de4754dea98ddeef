package com.onepoint.shared.domain;

/**
 * What moved a balance: one per write that changes a point account, carried on the account item itself (see
 * {@link com.onepoint.shared.dynamo.LedgerMovement}) and shown as the {@code kind} of a statement entry.
 */
public enum MovementKind {
    EARN, USE, EARN_CANCEL, EARN_REFUND, USE_RESTORE, ADJUSTMENT, FORFEIT
}
