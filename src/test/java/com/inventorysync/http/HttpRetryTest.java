package com.inventorysync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpRetryTest {
    private final List<Duration> waits = new ArrayList<>();
    private final HttpRetry retry = new HttpRetry(
            new HttpRetry.Settings(4, Duration.ofMillis(1), 2.0, Duration.ofMillis(8), Duration.ofSeconds(2)),
            (op, failure, wait) -> waits.add(wait));

    @Test
    void retriesThrottlingAndTransientFailuresUntilSuccessHonouringRetryAfter() {
        AtomicInteger calls = new AtomicInteger();
        String result = retry.call("op", () -> switch (calls.incrementAndGet()) {
            case 1 -> throw new VendorHttpException("PUT", "/x", 429, "slow down", Duration.ofMillis(0));
            case 2 -> throw new VendorHttpException("PUT", "/x", 503, null, null);
            case 3 -> throw new IOException("connection reset");
            default -> "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(4);
        assertThat(waits).hasSize(3).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofMillis(8)));
    }

    @Test
    void waitsAtLeastWhatRetryAfterAsks() {
        AtomicInteger calls = new AtomicInteger();
        retry.call("op", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new VendorHttpException("GET", "/x", 429, null, Duration.ofSeconds(1));
            }
            return 1;
        });
        assertThat(waits).singleElement().isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void neverRetriesAClientError() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("op", () -> {
                    calls.incrementAndGet();
                    throw new VendorHttpException("PUT", "/x", 404, "unknown SKU", null);
                }))
                .isInstanceOfSatisfying(
                        VendorHttpException.class,
                        e -> assertThat(e.vendorMessage()).isEqualTo("unknown SKU"));
        assertThat(calls).hasValue(1);
    }

    @Test
    void doesNotRepeatARequestAfterAnIoErrorWhenToldSo() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call(
                        "op",
                        () -> {
                            calls.incrementAndGet();
                            throw new IOException("timed out");
                        },
                        HttpRetry.TRANSIENT_STATUS))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void givesUpAfterMaxAttemptsOrARetryAfterLongerThanAllowed() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("op", () -> {
                    calls.incrementAndGet();
                    throw new VendorHttpException("PUT", "/x", 503, null, null);
                }))
                .isInstanceOf(RetriesExhaustedException.class)
                .hasMessageContaining("4 attempts");
        assertThat(calls).hasValue(4);

        AtomicInteger throttled = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("op", () -> {
                    throttled.incrementAndGet();
                    throw new VendorHttpException("PUT", "/x", 429, null, Duration.ofMinutes(5));
                }))
                .isInstanceOf(RetriesExhaustedException.class);
        assertThat(throttled).hasValue(1);
    }
}
