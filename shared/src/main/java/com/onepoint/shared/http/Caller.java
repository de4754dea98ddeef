package com.onepoint.shared.http;

import java.util.Map;

/**
 * Who is calling, as the API's authorizer established it: the admin, or one merchant. API Gateway hands the
 * authorizer's context to the functions in {@code requestContext.authorizer}; clients cannot set it.
 */
public record Caller(Role role, String merchantId) {
    public enum Role { ADMIN, MERCHANT }

    public static final String CONTEXT_ROLE = "role";
    public static final String CONTEXT_MERCHANT_ID = "merchantId";

    public static Caller admin() {
        return new Caller(Role.ADMIN, null);
    }

    public static Caller merchant(String merchantId) {
        return new Caller(Role.MERCHANT, merchantId);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** The authorizer context: flat string values, as API Gateway requires. */
    public Map<String, Object> toAuthorizerContext() {
        return isAdmin() ? Map.of(CONTEXT_ROLE, "admin") : Map.of(CONTEXT_ROLE, "merchant", CONTEXT_MERCHANT_ID, merchantId);
    }

    /** Reads the context back; null when the request carries none (it did not come through the authorizer). */
    public static Caller fromAuthorizerContext(Map<String, Object> context) {
        if (context == null) {
            return null;
        }
        Object role = context.get(CONTEXT_ROLE);
        if ("admin".equals(role)) {
            return admin();
        }
        Object merchantId = context.get(CONTEXT_MERCHANT_ID);
        if ("merchant".equals(role) && merchantId instanceof String id && !id.isBlank()) {
            return merchant(id);
        }
        return null;
    }

    /** 403 unless the caller is the admin. */
    public void requireAdmin() {
        if (!isAdmin()) {
            throw new ApiException(403, "FORBIDDEN", "this route is for the OnePoint administrator");
        }
    }

    /** 403 unless the caller is the admin or merchant {@code merchantId} itself. */
    public void requireMerchant(String merchantId) {
        if (!isAdmin() && !this.merchantId.equals(merchantId)) {
            throw new ApiException(403, "FORBIDDEN", "a merchant key acts for its own merchant only",
                    Map.of("merchantId", merchantId));
        }
    }
}
