package com.inventorysync.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code Retry-After} as every vendor client reads it: delta-seconds or an HTTP date. */
class RetryAfterTest {

    @Test
    void delaySecondsAreTheWait() {
        assertThat(RetryAfter.parse("5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(RetryAfter.parse(" 120 ")).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("-3")).isEqualTo(Duration.ZERO);
    }

    @Test
    void anHttpDateInThePastMeansNoWait() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    }

    @Test
    void anHttpDateAheadIsAWaitUntilThen() {
        assertThat(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT")).isGreaterThan(Duration.ofDays(365));
    }

    @Test
    void anAbsentOrUnreadableHeaderAsksForNothing() {
        assertThat(RetryAfter.parse(null)).isNull();
        assertThat(RetryAfter.parse(" ")).isNull();
        assertThat(RetryAfter.parse("soon")).isNull();
    }
}
