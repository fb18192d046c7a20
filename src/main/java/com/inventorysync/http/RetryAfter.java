package com.inventorysync.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The wait a vendor asks for in a {@code Retry-After} header: delta-seconds or an HTTP date (RFC 9110). */
public final class RetryAfter {

    private RetryAfter() {}

    /**
     * @param header the header's value as sent, or null when the answer had none
     * @return the wait from now (zero for a date already past), or null when the header is absent or unreadable
     */
    public static Duration parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(
                        ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
