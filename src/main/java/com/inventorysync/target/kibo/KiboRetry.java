package com.inventorysync.target.kibo;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries Kibo calls after 429, 503 and I/O errors: exponential backoff with jitter, never sooner
 * than the vendor's {@code Retry-After}. A refresh is absolute and idempotent, so repeating one
 * whose outcome an I/O error left unknown is harmless.
 */
public class KiboRetry {
    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;

    public KiboRetry(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    public static KiboRetry defaults() {
        return new KiboRetry(8, Duration.ofMillis(200), Duration.ofSeconds(10));
    }

    public <T> T call(String operation, Callable<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (KiboHttpException e) {
                if (!e.isTransient() || attempt >= maxAttempts) {
                    throw attempt > 1 && e.isTransient() ? new KiboRetriesExhaustedException(operation, attempt, e) : e;
                }
                pause(attempt, e.retryAfter().orElse(Duration.ZERO));
            } catch (UncheckedIOException e) {
                if (attempt >= maxAttempts) {
                    throw new KiboRetriesExhaustedException(operation, attempt, e);
                }
                pause(attempt, Duration.ZERO);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(operation + ": " + e.getMessage(), e);
            }
        }
    }

    private void pause(int attempt, Duration atLeast) {
        double ceiling = Math.min(maxDelay.toMillis(), initialDelay.toMillis() * Math.pow(2, attempt - 1));
        long wait = Math.max(atLeast.toMillis(), (long) (ceiling / 2 + ThreadLocalRandom.current().nextDouble() * ceiling / 2));
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }

    /** Every attempt failed transiently. */
    public static class KiboRetriesExhaustedException extends RuntimeException {
        public KiboRetriesExhaustedException(String operation, int attempts, Throwable last) {
            super(operation + ": gave up after " + attempts + " attempts; last failure: " + last.getMessage(), last);
        }
    }
}
