package com.onepoint.shared.domain;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Optional;

public enum DealType {
    EARN("earn"), USE("use");

    private final String wire;

    DealType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** "earn", "use", and the legacy word "save" for earn. Case-sensitive, as the SPEC spells them. */
    public static Optional<DealType> fromWire(String text) {
        return switch (text) {
            case "earn", "save" -> Optional.of(EARN);
            case "use" -> Optional.of(USE);
            default -> Optional.empty();
        };
    }
}
