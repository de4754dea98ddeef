package com.onepoint.engine.value;

/** DynamoDB's attribute types, by their wire names. */
public enum Type {
    S, N, B, BOOL, NULL, L, M, SS, NS, BS;

    public boolean isSet() {
        return this == SS || this == NS || this == BS;
    }

    /** The scalar types a key attribute may have. */
    public boolean isKeyType() {
        return this == S || this == N || this == B;
    }
}
