package com.onepoint.shared.table;

import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.FailureReason;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.num;
import static com.onepoint.shared.dynamo.Items.putIfPresent;
import static com.onepoint.shared.dynamo.Items.s;
import static com.onepoint.shared.dynamo.Items.str;

/** Table of deals, key {@code dealId}; stream NEW_AND_OLD_IMAGES. Name from DEALS_TABLE. */
public final class DealsTable {
    public static final String ENV = "DEALS_TABLE";
    public static final String DEAL_ID = "dealId";
    public static final String MEMBER_ID = "memberId";
    public static final String MERCHANT_ID = "merchantId";
    public static final String TYPE = "type";
    public static final String AMOUNT = "amount";
    public static final String POINTS = "points";
    public static final String STATUS = "status";
    public static final String FAILURE_REASON = "failureReason";
    public static final String OCCURRED_AT = "occurredAt";
    public static final String CREATED_AT = "createdAt";
    public static final String CANCELLED_AT = "cancelledAt";
    public static final String RESTORATION = "restoration";
    public static final String RESTORED_AT = "restoredAt";
    /** Starts at 1 and grows by 1 with every write, so read models can apply changes once and in order. */
    public static final String VERSION = "version";

    private DealsTable() {
    }

    public static Map<String, AttributeValue> toItem(Deal d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(DEAL_ID, s(d.dealId()));
        item.put(MEMBER_ID, s(d.memberId()));
        item.put(MERCHANT_ID, s(d.merchantId()));
        item.put(TYPE, s(d.type().wire()));
        item.put(AMOUNT, n(d.amount()));
        item.put(POINTS, n(d.points()));
        item.put(STATUS, s(d.status().name()));
        putIfPresent(item, FAILURE_REASON, d.failureReason() == null ? null : d.failureReason().name());
        item.put(OCCURRED_AT, s(d.occurredAt()));
        item.put(CREATED_AT, s(d.createdAt()));
        putIfPresent(item, CANCELLED_AT, d.cancelledAt());
        putIfPresent(item, RESTORATION, d.restoration());
        item.put(VERSION, n(1)); // toItem creates: every later change is an update that increments it
        return item;
    }

    public static Deal fromItem(Map<String, AttributeValue> item) {
        String reason = str(item, FAILURE_REASON);
        return new Deal(str(item, DEAL_ID), str(item, MEMBER_ID), str(item, MERCHANT_ID),
                DealType.fromWire(str(item, TYPE)).orElseThrow(), num(item, AMOUNT), num(item, POINTS),
                DealStatus.valueOf(str(item, STATUS)), reason == null ? null : FailureReason.valueOf(reason),
                str(item, OCCURRED_AT), str(item, CREATED_AT), str(item, CANCELLED_AT), str(item, RESTORATION));
    }
}
