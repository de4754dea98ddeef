package com.onepoint.shared.domain;

import com.onepoint.shared.http.ApiException;

/**
 * The one form a member's phone is stored, compared and looked up in: E.164, {@code +} and digits only.
 * <ul>
 *   <li>Spaces, {@code -}, {@code .} and parentheses are separators and dropped; any other character is refused.</li>
 *   <li>Without a leading {@code +} the number is Korean and dialled domestically: it starts with the trunk 0, which
 *       becomes {@code +82}: {@code 010-1234-5678} → {@code +821012345678}.</li>
 *   <li>{@code +82} is Korean too; a trunk 0 written after it ({@code +82 010…}, {@code +82 (0)10…}) is dropped.</li>
 *   <li>Korean numbers have 8–10 digits after {@code +82} and none starts with 0 (mobile {@code 10xxxxxxxx}, Seoul
 *       {@code 2xxxxxxxx}, regions {@code 31xxxxxxx}…); other {@code +} numbers are kept as they are, 7–15 digits
 *       (E.164's limit), the first not 0.</li>
 * </ul>
 * Anything else is a 400 VALIDATION_FAILED naming the field.
 */
public final class PhoneNumber {
    /** What a caller may send, separators included; the longest real number written out is well under this. */
    public static final int MAX_INPUT_LENGTH = 32;
    private static final String KOREA = "82";
    private static final String RULE = "must be a phone number: digits with spaces, '-', '.' or parentheses, either Korean"
            + " (010-1234-5678, +82 10-1234-5678) or international with a leading '+' (7-15 digits)";

    private PhoneNumber() {
    }

    /** The canonical form of {@code input}, e.g. {@code +821012345678}; 400 naming {@code field} if it is none. */
    public static String normalise(String field, String input) {
        if (input == null) {
            throw ApiException.validation(field, "is required");
        }
        String text = input.strip();
        if (text.isEmpty() || text.length() > MAX_INPUT_LENGTH) {
            throw ApiException.validation(field, RULE);
        }
        boolean international = text.charAt(0) == '+';
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = international ? 1 : 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
                throw ApiException.validation(field, RULE);
            }
        }
        String number = digits.toString();
        String korean;
        if (international) {
            if (!number.startsWith(KOREA)) {
                if (number.length() < 7 || number.length() > 15 || number.charAt(0) == '0') {
                    throw ApiException.validation(field, RULE);
                }
                return "+" + number;
            }
            korean = number.substring(KOREA.length());
            if (korean.startsWith("0")) {
                korean = korean.substring(1);
            }
        } else {
            if (!number.startsWith("0")) {
                throw ApiException.validation(field, RULE);
            }
            korean = number.substring(1);
        }
        if (korean.length() < 8 || korean.length() > 10 || korean.charAt(0) == '0') {
            throw ApiException.validation(field, RULE);
        }
        return "+" + KOREA + korean;
    }
}
