package com.onepoint.shared.domain;

public enum DealStatus { SUCCESS, FAILED, CANCELLED }
