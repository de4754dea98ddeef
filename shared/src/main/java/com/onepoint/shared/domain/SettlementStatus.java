package com.onepoint.shared.domain;

/** A merchant-month has no status while open; SETTLED once its settlement is written, and then it never changes. */
public enum SettlementStatus { SETTLED }
