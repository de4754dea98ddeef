package com.onepoint.shared.domain;

public enum MemberStatus { ACTIVE, WITHDRAWN }
