package com.inventorysync.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fault settings of a running sandbox, changed in-process, through the admin API or by start flags.
 * Every random decision comes from one {@link Random} seeded with {@link #randomSeed()}, so a run with the
 * same seed and the same sequence of requests makes the same decisions.
 */
public final class Faults {
    private final CopyOnWriteArrayList<FaultRule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, RateLimiter> rateLimits = new ConcurrentHashMap<>();
    private volatile Random random;
    private volatile long randomSeed;
    private final Runnable tokenExpiry;

    Faults(long randomSeed, Runnable tokenExpiry) {
        this.tokenExpiry = tokenExpiry;
        randomSeed(randomSeed);
    }

    /** Settings as a plain value (admin API, start flags). */
    public record Settings(Long randomSeed, List<FaultRule> rules, Map<String, Integer> rateLimits) {
        public Settings {
            rules = rules != null ? List.copyOf(rules) : List.of();
            rateLimits = rateLimits != null ? Map.copyOf(rateLimits) : Map.of();
        }
    }

    public Faults add(FaultRule rule) {
        rules.add(rule);
        return this;
    }

    public Faults latency(String scope, int fixedMillis, int jitterMillis) {
        return add(FaultRule.latency(scope, fixedMillis, jitterMillis));
    }

    /** A fraction of the scope's requests answered 503 and not applied. */
    public Faults unavailable(String scope, double fraction) {
        return add(FaultRule.unavailable(scope, fraction));
    }

    /** A fraction of the scope's requests answered 429 with {@code Retry-After} and not applied. */
    public Faults tooManyRequests(String scope, double fraction, int retryAfterSeconds) {
        return add(FaultRule.tooManyRequests(scope, fraction, retryAfterSeconds));
    }

    /** A fraction of the scope's requests applied, then answered by closing the connection. */
    public Faults dropAfterApply(String scope, double fraction) {
        return add(FaultRule.dropAfterApply(scope, fraction));
    }

    /**
     * A fraction of the scope's requests answered with {@code status}, {@code contentType} and {@code body} instead of
     * the contract's answer: not applied (as a gateway or proxy answering), or with {@code applied} applied first.
     */
    public Faults answer(String scope, double fraction, int status, String contentType, String body, boolean applied) {
        return add(FaultRule.answer(scope, new FaultRule.Answer(fraction, status, contentType, body, applied)));
    }

    /** As {@link #answer(String, double, int, String, String, boolean)}, e.g. {@code FaultRule.Answer.html(1.0, 502, false)}. */
    public Faults answer(String scope, FaultRule.Answer answer) {
        return add(FaultRule.answer(scope, answer));
    }

    /** At most {@code perSecond} requests per second to one API (omni, kibo, shipedge, newstore); more get 429. 0 removes it. */
    public Faults rateLimit(String api, int perSecond) {
        if (perSecond <= 0) {
            rateLimits.remove(api);
        } else {
            rateLimits.put(api, new RateLimiter(perSecond));
        }
        return this;
    }

    /** Every Kibo and NewStore token issued so far is expired from now on. */
    public Faults expireTokensNow() {
        tokenExpiry.run();
        return this;
    }

    /** Restarts the random source, so the next decisions repeat those of a fresh start with this seed. */
    public Faults randomSeed(long seed) {
        randomSeed = seed;
        random = new Random(seed);
        return this;
    }

    public long randomSeed() {
        return randomSeed;
    }

    /** Removes every rule and rate limit (the random source is kept). */
    public Faults clear() {
        rules.clear();
        rateLimits.clear();
        return this;
    }

    public Settings settings() {
        Map<String, Integer> limits = new LinkedHashMap<>();
        rateLimits.forEach((api, limiter) -> limits.put(api, limiter.perSecond));
        return new Settings(randomSeed, List.copyOf(rules), limits);
    }

    /** Replaces every rule and rate limit; restarts the random source when the settings name a seed. */
    public Faults apply(Settings settings) {
        clear();
        rules.addAll(settings.rules());
        settings.rateLimits().forEach(this::rateLimit);
        if (settings.randomSeed() != null) {
            randomSeed(settings.randomSeed());
        }
        return this;
    }

    List<FaultRule> rules() {
        return rules;
    }

    boolean rateLimited(String api) {
        RateLimiter limiter = rateLimits.get(api);
        return limiter != null && !limiter.tryAcquire();
    }

    double nextDouble() {
        return random.nextDouble();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A fixed one-second window per API: simple, and what a gateway quota of N calls per second looks like. */
    static final class RateLimiter {
        final int perSecond;
        private long windowStart = System.nanoTime();
        private int used;

        RateLimiter(int perSecond) {
            this.perSecond = perSecond;
        }

        synchronized boolean tryAcquire() {
            long now = System.nanoTime();
            if (now - windowStart >= 1_000_000_000L) {
                windowStart = now;
                used = 0;
            }
            if (used < perSecond) {
                used++;
                return true;
            }
            return false;
        }
    }
}
