package com.onepoint.shared.domain;

/**
 * Where the points of a cancelled use stand: PENDING until the restore queue's consumer gives them back (DONE),
 * or FORFEITED when the member left before the restore ran (the account is closed, so nothing can be credited).
 */
public enum Restoration { PENDING, DONE, FORFEITED }
