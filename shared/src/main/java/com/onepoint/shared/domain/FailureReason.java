package com.onepoint.shared.domain;

/** Why a deal was refused; also the error code of the 409 that carries the FAILED deal. */
public enum FailureReason { INSUFFICIENT_POINTS, MEMBER_NOT_ACTIVE }
