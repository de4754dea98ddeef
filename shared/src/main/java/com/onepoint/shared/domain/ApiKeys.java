package com.onepoint.shared.domain;

import com.onepoint.shared.snapstart.FreshRandom;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** Merchant API keys: 256 random bits, shown once; only their SHA-256 is stored. */
public final class ApiKeys {
    private ApiKeys() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        FreshRandom.nextBytes(bytes);
        return "op_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
