package com.onepoint.shared.domain;

/** A member's point balance; never negative, guarded by DynamoDB conditions. */
public record PointAccount(String memberId, long balance, AccountStatus status) {
}
