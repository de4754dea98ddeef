package com.onepoint.shared;

import com.onepoint.shared.domain.PhoneNumber;
import com.onepoint.shared.http.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PhoneNumberTest {
    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
            // one Korean mobile number, every way a cashier or a POS writes it
            "010-1234-5678|+821012345678",
            "01012345678|+821012345678",
            "010 1234 5678|+821012345678",
            "010.1234.5678|+821012345678",
            "(010) 1234-5678|+821012345678",
            "+82 10-1234-5678|+821012345678",
            "+821012345678|+821012345678",
            "+82 010-1234-5678|+821012345678",
            "+82 (0)10 1234 5678|+821012345678",
            "'  010-1234-5678  '|+821012345678",
            // other Korean numbers: old mobile prefixes, Seoul (02, 7 or 8 digits), regions, VoIP
            "011-123-4567|+82111234567",
            "02-123-4567|+8221234567",
            "02-1234-5678|+82212345678",
            "031-123-4567|+82311234567",
            "031-1234-5678|+823112345678",
            "070-1234-5678|+827012345678",
            "+82 2 1234 5678|+82212345678",
            // non-Korean numbers with '+' are kept as E.164
            "+1 (212) 555-0123|+12125550123",
            "+81 90-1234-5678|+819012345678",
            "+44 20 7946 0958|+442079460958",
            "+6831234|+6831234",
            "+123456789012345|+123456789012345"})
    void normalisesToE164(String input, String expected) {
        assertEquals(expected, PhoneNumber.normalise("phone", input));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {
            "", "   ", "call me", "010-1234-567a", "010/1234/5678", "010_1234_5678", "+82-10-1234-5678#1",
            "1012345678",          // no trunk 0 and no '+': whose country?
            "821012345678",        // the country code without its '+'
            "0",                   // the trunk 0 alone
            "010-123",             // too short for a Korean number (6 digits after the trunk 0)
            "010-1234-5678-9",     // 11 digits after the trunk 0
            "00-82-10-1234-5678",  // an international call prefix is not part of the number
            "+82 00 1234 5678",    // nothing after +82 starts with 0 once the trunk 0 is gone
            "+82 10-12",           // too short
            "+82 10 1234 5678 90", // too long
            "+", "+ ", "++821012345678", "+82+1012345678", "0+1012345678",
            "+123456",             // 6 digits: shorter than any E.164 number
            "+1234567890123456",   // 16 digits: longer than E.164 allows
            "+0123456789",         // no country code starts with 0
            "010-1234-5678        ------------"}) // over 32 characters
    void refusesWhatIsNoPhoneNumber(String input) {
        ApiException e = assertThrows(ApiException.class, () -> PhoneNumber.normalise("phone", input));
        assertEquals(400, e.status());
        assertEquals("VALIDATION_FAILED", e.code());
        assertEquals("phone", e.details().get("field"));
    }
}
