package com.inventorysync.http;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Timeouts and retries of every vendor client ({@code inventory-sync.http.*}). Defaults suit a
 * nightly job: patient with a throttling gateway, quick to call a silent connection unknown.
 *
 * @param connectTimeout how long a connection may take to open
 * @param requestTimeout a request with no answer for that long is of unknown outcome (its count is read back later)
 * @param maxAttempts    attempts per request on 429, 503 and I/O errors, the first included (1: no retry)
 * @param initialBackoff the first wait before a retry; each next wait doubles, with jitter
 * @param maxBackoff     the longest wait between two attempts
 * @param maxRetryAfter  the longest Retry-After honoured; a longer one ends the retries
 * @param settleTime     how long after a request of unknown outcome its count is read back; default: twice
 *                       request-timeout, at least 30s
 */
@Validated
@ConfigurationProperties("inventory-sync.http")
public record HttpProperties(
        @DefaultValue("5s") @NotNull @DurationMin(millis = 1)
        Duration connectTimeout,

        @DefaultValue("30s") @NotNull @DurationMin(millis = 1)
        Duration requestTimeout,

        @DefaultValue("8") @Positive int maxAttempts,

        @DefaultValue("200ms") @NotNull @DurationMin(millis = 0)
        Duration initialBackoff,

        @DefaultValue("10s") @NotNull @DurationMin(millis = 0)
        Duration maxBackoff,

        @DefaultValue("120s") @NotNull @DurationMin(millis = 0)
        Duration maxRetryAfter,

        @DurationMin(millis = 0) Duration settleTime) {

    public HttpProperties {
        // Long enough for a request the OMS received but had not applied when the client gave up.
        if (settleTime == null && requestTimeout != null) {
            settleTime = max(requestTimeout.multipliedBy(2), Duration.ofSeconds(30));
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public HttpRetry.Settings retrySettings() {
        return new HttpRetry.Settings(maxAttempts, initialBackoff, 2.0, maxBackoff, maxRetryAfter);
    }
}
