package com.onepoint.shared.domain;

/** A point account is OPEN while its member is ACTIVE and CLOSED (balance forfeited) once the member leaves. */
public enum AccountStatus { OPEN, CLOSED }
