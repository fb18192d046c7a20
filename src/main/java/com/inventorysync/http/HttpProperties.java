package com.inventorysync.http;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Timeouts and retries of every vendor client ({@code inventory-sync.http.*}). Defaults suit a
 * nightly job: patient with a throttling gateway, quick to call a silent connection unknown.
 */
@ConfigurationProperties("inventory-sync.http")
public record HttpProperties(Duration connectTimeout, Duration requestTimeout, Integer maxAttempts,
                             Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter, Duration settleTime) {

    public HttpProperties {
        connectTimeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(5);
        requestTimeout = requestTimeout != null ? requestTimeout : Duration.ofSeconds(30);
        maxAttempts = maxAttempts != null ? maxAttempts : 8;
        initialBackoff = initialBackoff != null ? initialBackoff : Duration.ofMillis(200);
        maxBackoff = maxBackoff != null ? maxBackoff : Duration.ofSeconds(10);
        maxRetryAfter = maxRetryAfter != null ? maxRetryAfter : Duration.ofSeconds(120);
        // Long enough for a request the OMS received but had not applied when the client gave up.
        settleTime = settleTime != null ? settleTime : max(requestTimeout.multipliedBy(2), Duration.ofSeconds(30));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public HttpRetry.Settings retrySettings() {
        return new HttpRetry.Settings(maxAttempts, initialBackoff, 2.0, maxBackoff, maxRetryAfter);
    }
}
