package com.onepoint.shared.event;

/**
 * Every domain event OnePoint publishes on its EventBridge bus (SPEC §4): the {@code detail-type} is the enum
 * name, {@code source} and the shape of {@code detail} are fixed per type. One definition, used by producers,
 * consumers and the EventBridge rules' patterns in template.yaml.
 */
public enum EventType {
    MemberJoined(Sources.MEMBER, MemberEventDetail.class),
    MemberWithdrawn(Sources.MEMBER, MemberEventDetail.class),
    DealRecorded(Sources.DEAL, DealEventDetail.class),
    DealCancelled(Sources.DEAL, DealEventDetail.class),
    /** A partial refund: the detail is the deal after it, with {@code refund} naming this refund. */
    DealRefunded(Sources.DEAL, DealEventDetail.class),
    PointsRestored(Sources.POINT, DealEventDetail.class),
    /** A cancelled use whose member left before the restore ran: its points are forfeited, not restored. */
    RestorationForfeited(Sources.POINT, DealEventDetail.class),
    PointsForfeited(Sources.POINT, MemberEventDetail.class),
    /** A manual adjustment by the admin, published from the adjustments table's stream. */
    PointsAdjusted(Sources.POINT, AdjustmentEventDetail.class),
    /** The ledger audit found a balance that is not the sum of the member's movements. */
    LedgerDiscrepancy(Sources.POINT, LedgerDiscrepancyDetail.class),
    MerchantSettled(Sources.BILLING, SettlementEventDetail.class);

    /** Bumped when a detail shape changes incompatibly (adding a field is compatible); consumers read it first. */
    public static final int SCHEMA_VERSION = 1;

    private final String source;
    private final Class<?> detailType;

    EventType(String source, Class<?> detailType) {
        this.source = source;
        this.detailType = detailType;
    }

    public String source() {
        return source;
    }

    public Class<?> detailType() {
        return detailType;
    }

    public static final class Sources {
        public static final String MEMBER = "onepoint.member";
        public static final String DEAL = "onepoint.deal";
        public static final String POINT = "onepoint.point";
        public static final String BILLING = "onepoint.billing";

        private Sources() {
        }
    }
}
