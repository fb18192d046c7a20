package com.inventorysync.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Retries vendor calls that failed transiently: exponential backoff with full jitter, and never
 * sooner than the vendor's {@code Retry-After}. Built on Spring Framework's
 * {@link RetryTemplate}; the policy is made per call because the wait before the next attempt
 * depends on the failure just seen, which a shared {@code BackOff} cannot know.
 * <p>
 * By default 429, 503 and I/O errors are retried; other statuses (every other 4xx) never are.
 * A caller that must not repeat a request after an I/O error (a {@code Delta} whose outcome is
 * unknown) passes {@link #TRANSIENT_STATUS} instead.
 */
public final class HttpRetry {

    /** 429/503 answers and I/O errors (timeouts, refused or dropped connections). */
    public static final Predicate<Throwable> TRANSIENT = t -> isTransientStatus(t) || isIo(t);
    /** 429/503 answers only: for requests whose outcome is unknown after an I/O error. */
    public static final Predicate<Throwable> TRANSIENT_STATUS = HttpRetry::isTransientStatus;

    /**
     * @param maxAttempts   attempts in all, the first included
     * @param initialDelay  wait before the second attempt (before jitter)
     * @param multiplier    growth of the wait per attempt
     * @param maxDelay      the longest wait computed by backoff
     * @param maxRetryAfter the longest {@code Retry-After} honoured; a longer one ends the retries
     */
    public record Settings(
            int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, Duration maxRetryAfter) {
        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
        }

        public static Settings defaults() {
            return new Settings(8, Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), Duration.ofSeconds(120));
        }
    }

    /** Told of every retry, e.g. to count them. */
    @FunctionalInterface
    public interface RetryObserver {
        void beforeRetry(String operation, Throwable failure, Duration wait);
    }

    private final Settings settings;
    private final RetryObserver observer;
    private final AdaptiveLimiter limiter;

    public HttpRetry(Settings settings) {
        this(settings, (op, failure, wait) -> {});
    }

    public HttpRetry(Settings settings, RetryObserver observer) {
        this(settings, observer, null);
    }

    /**
     * @param limiter gates every attempt (not the waits between them) of the vendor client this retry
     *                belongs to; null for none
     */
    public HttpRetry(Settings settings, RetryObserver observer, AdaptiveLimiter limiter) {
        this.settings = settings;
        this.observer = observer;
        this.limiter = limiter;
    }

    public Settings settings() {
        return settings;
    }

    /** The limiter every attempt goes through, or null. */
    public AdaptiveLimiter limiter() {
        return limiter;
    }

    /** Runs {@code call}, retrying {@link #TRANSIENT} failures. */
    public <T> T call(String operation, Retryable<T> call) {
        return call(operation, call, TRANSIENT);
    }

    /**
     * Runs {@code call}, retrying failures {@code retryOn} accepts.
     *
     * @throws RetriesExhaustedException when every attempt failed with a retryable failure
     * @throws RuntimeException the first failure {@code retryOn} does not accept, unchanged
     *         (checked exceptions wrapped: {@link IOException} in {@link UncheckedIOException})
     */
    public <T> T call(String operation, Retryable<T> call, Predicate<Throwable> retryOn) {
        AtomicReference<Throwable> lastFailure = new AtomicReference<>();
        RetryPolicy policy = RetryPolicy.builder()
                .predicate(t -> {
                    lastFailure.set(t);
                    return retryOn.test(t);
                })
                .backOff(() -> new Backoff(operation, lastFailure))
                .build();
        RetryTemplate template = new RetryTemplate(policy);
        try {
            return template.execute(new Retryable<>() {
                @Override
                public T execute() throws Throwable {
                    return limiter == null ? call.execute() : limiter.call(call);
                }

                @Override
                public String getName() {
                    return operation;
                }
            });
        } catch (RetryException e) {
            Throwable last = e.getLastException() != null ? e.getLastException() : e.getCause();
            if (last == null) {
                throw new IllegalStateException(operation + ": " + e.getMessage(), e);
            }
            if (retryOn.test(last)) {
                throw new RetriesExhaustedException(operation, e.getRetryCount() + 1, last);
            }
            throw unchecked(last);
        }
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t instanceof IOException io) {
            return new UncheckedIOException(io);
        }
        return new IllegalStateException(t.getMessage(), t);
    }

    static boolean isTransientStatus(Throwable t) {
        return t instanceof VendorHttpException v && v.isTransient();
    }

    static boolean isIo(Throwable t) {
        return t instanceof IOException || t instanceof UncheckedIOException;
    }

    /** One call's waits: exponential with full jitter, at least the vendor's Retry-After. */
    private final class Backoff implements BackOffExecution {
        private final String operation;
        private final AtomicReference<Throwable> lastFailure;
        private int retries;

        Backoff(String operation, AtomicReference<Throwable> lastFailure) {
            this.operation = operation;
            this.lastFailure = lastFailure;
        }

        @Override
        public long nextBackOff() {
            if (++retries >= settings.maxAttempts()) {
                return STOP;
            }
            double ceiling = Math.min(
                    settings.maxDelay().toMillis(),
                    settings.initialDelay().toMillis() * Math.pow(settings.multiplier(), retries - 1));
            // Full jitter: a random wait between half the ceiling and the ceiling, so that parallel
            // senders throttled together do not come back together.
            long wait = (long) (ceiling / 2 + ThreadLocalRandom.current().nextDouble() * ceiling / 2);
            Throwable failure = lastFailure.get();
            if (failure instanceof VendorHttpException v && v.retryAfter().isPresent()) {
                Duration asked = v.retryAfter().get();
                if (asked.compareTo(settings.maxRetryAfter()) > 0) {
                    return STOP;
                }
                wait = Math.max(wait, asked.toMillis());
            }
            observer.beforeRetry(operation, failure, Duration.ofMillis(wait));
            return wait;
        }
    }
}
