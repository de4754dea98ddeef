package com.onepoint.shared.domain;

/** A customer; {@code withdrawnAt} and {@code forfeitedPoints} are set once the member leaves. */
public record Member(String memberId, String name, String phone, String email, MemberStatus status,
                     String joinedAt, String withdrawnAt, Long forfeitedPoints) {
}
