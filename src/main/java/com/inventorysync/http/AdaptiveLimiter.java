package com.inventorysync.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.core.retry.Retryable;

/**
 * Finds how fast a vendor lets itself be called, and keeps every attempt of its client within that:
 * a concurrency limit between 1 and the job's ceiling, and, once the vendor has said 429, an even
 * spacing of requests just under the rate it delivered. One per vendor client per process, shared by
 * every thread that sends to it; each HTTP attempt holds a permit from {@link #acquire()} until its
 * answer, never while it waits to be retried.
 * <ul>
 * <li><b>Slow start</b>: from {@value #INITIAL_LIMIT} (or the ceiling) the limit grows by one per
 *     answer (doubling per round trip) while at least half of it is in use, until the
 *     first 429/503 or latency rise; then by one per round trip.</li>
 * <li><b>429</b>: requests are paced at {@value #RATE_MARGIN} of the successful answers of the last
 *     second (a gateway quota of N per second delivered N), and the limit is set to what that rate needs
 *     at the current latency, and follows the latency while it is steady. The pace then grows by 5% a
 *     second while it is what holds requests back and below the rate of the last cut, by 1% beyond it,
 *     doubling every {@value #PROBE_DOUBLING_SECONDS} seconds without a cut, up to 5%: a cut made while the
 *     sender was still starting up undercounts the quota, and finding it again at 1% a second would take minutes.
 *     The pace never falls below half the best rate delivered in the run: 429s that keep coming however
 *     slowly it sends are not a quota. The rate grown back to quickly is never less than {@value #RATE_MARGIN}
 *     of the previous one: the second before a cut that follows another is cut short by the first one's holds.
 *     <b>503</b>: the limit is cut to {@value #OVERLOAD_BACKOFF} of itself.</li>
 * <li>A 429 is taken for a quota only when it is one of {@value #QUOTA_EVIDENCE} refused in a row (sent after
 *     the latest-sent request that got through), as a spent quota refuses everything until its window
 *     turns. A scattered 429 that the next request gets past is retried and teaches nothing: a gateway that
 *     throttles at random would otherwise hold the pace near the first second's count all night.</li>
 * <li>One burst is one cut, and the pace is cut at most once a second: a throttle of a request sent before
 *     the last cut is ignored; a throttle of
 *     one sent after it, before any such request succeeded, means the quota is spent for now: nothing is
 *     sent for a hold (as long as that refusal took to come back, 10 to 100 ms), then a request probes
 *     again. The hold doubles, to at most {@code 250 ms}, only when a probe sent after it is refused too: the
 *     refusals of requests already out when it began say nothing new.</li>
 * <li><b>Latency</b>: when the recent round trips (a short average) take more than twice their long
 *     average, the limit is cut by 10%, at most once per round trip. Both averages mix the client's reads
 *     and writes alike, so a fast read beside a slow write is no rise; a rise that lasts becomes the new
 *     long average, as in Netflix's gradient limiter.</li>
 * </ul>
 * Without adaptation ({@code adaptive: false}) the limit is the ceiling and only the operator's
 * {@code rate-limit} paces. Timeouts and dropped connections release their permit and teach nothing.
 * The clock is injected, so that the rules can be tested without timing anything.
 */
public final class AdaptiveLimiter {
    static final int INITIAL_LIMIT = 16;
    static final double RATE_MARGIN = 0.95;
    /** 429s in a row (none of them followed by a success sent after it) that mean a quota is spent. */
    static final int QUOTA_EVIDENCE = 3;

    static final double OVERLOAD_BACKOFF = 0.8;
    static final double LATENCY_BACKOFF = 0.9;
    static final double LATENCY_TOLERANCE = 2.0;
    /** Round trips of a few milliseconds jitter by that much on a busy machine: not a rise. */
    static final long LATENCY_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * Relative growth of the pace per second while it holds requests back: fast back to the rate the
     * last cut was made at, slowly beyond it, where the quota was met before.
     */
    static final double RATE_GROWTH = 0.05;

    static final double RATE_PROBE_GROWTH = 0.01;
    /** Probing beyond the rate of the last cut grows twice as fast after this long without a cut. */
    static final int PROBE_DOUBLING_SECONDS = 2;
    /** A 429 never paces below this share of the best rate delivered in the run (a flaky gateway is no quota). */
    static final double PACE_FLOOR = 0.5;
    /** The limit covers the paced rate at the current latency with this much to spare. */
    static final double LIMIT_HEADROOM = 2.0;

    static final double MIN_RATE = 1.0;
    static final int MIN_RTT_PERIOD_SECONDS = 10;
    static final long SECOND = 1_000_000_000L;
    static final long MIN_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long FIRST_HOLD_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long MAX_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int BUCKETS = 20;
    private static final long BUCKET_NANOS = SECOND / BUCKETS;
    private static final int RTT_SAMPLES_BEFORE_JUDGING = 20;
    private static final double RTT_SMOOTHING = 0.1;
    private static final double LONG_RTT_SMOOTHING = 0.002;

    /**
     * What a job asks of one vendor's sending.
     *
     * @param ceiling   requests in flight at most (the job's {@code concurrency} for Omni)
     * @param rateLimit requests per second at most; 0 for none
     * @param adaptive  false: always {@code ceiling} in flight, paced by {@code rateLimit} only
     */
    public record Settings(int ceiling, double rateLimit, boolean adaptive) {
        public Settings {
            if (ceiling < 1) {
                throw new IllegalArgumentException("ceiling must be at least 1, was " + ceiling);
            }
            if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
                throw new IllegalArgumentException("rateLimit must be 0 or a positive number, was " + rateLimit);
            }
        }

        /** Before a job says otherwise: adaptive up to 16, no rate limit. */
        public static Settings defaults() {
            return new Settings(INITIAL_LIMIT, 0, true);
        }
    }

    /** Time as the limiter sees it: {@link #SYSTEM} in the product, a hand-moved clock in tests. */
    public interface Clock {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };
    }

    /**
     * One attempt's right to be on the wire; give it back once with {@link #answered}, {@link #throttled}
     * or {@link #noAnswer}.
     *
     * @param sentAt       when the attempt left
     * @param limitBound   at least half the limit was in flight when it left: the limit, not the caller, held requests back
     * @param waitedToPace it waited for its turn in the pace: the pace held requests back
     */
    public record Permit(long sentAt, boolean limitBound, boolean waitedToPace) {}

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();

    private Settings settings = Settings.defaults();
    private Object runKey;
    private double limit = INITIAL_LIMIT;
    private int inFlight;
    private boolean slowStart = true;
    /** Requests per second learned from 429s; infinite until the first. */
    private double learnedRate = Double.POSITIVE_INFINITY;

    private long nextSendAt;
    private long holdUntil;
    private long cutAt;
    private boolean cutOnce;
    /**
     * The rate the pace grows back to at {@value #RATE_GROWTH} a second after a cut: the count of the second
     * before the cut, or {@value #RATE_MARGIN} of the previous target when that is more.
     */
    private double recoveryTarget;
    /** When the pace first grew past {@link #recoveryTarget} since the last cut; -1 while it has not. */
    private long probingSince = -1;

    private double peakDelivered;
    private boolean episodeOpen;
    private long hold;
    private long holdSetAt;
    private long lastLatencyCutAt;
    private boolean latencyCutOnce;

    private double recentRtt;
    private double longRtt;
    private int rttSamples;
    private long minRttThisPeriod = Long.MAX_VALUE;
    private long minRttLastPeriod = Long.MAX_VALUE;
    private long periodStartedAt;
    private boolean periodStarted;

    private final long[] successes = new long[BUCKETS];
    private final long[] bucketOf = new long[BUCKETS];
    private long firstSentAt;
    private boolean sentAny;
    private long latestSuccessSentAt;
    private boolean succeededOnce;
    private int refusedInARow;

    public AdaptiveLimiter() {
        this(Clock.SYSTEM);
    }

    public AdaptiveLimiter(Clock clock) {
        this.clock = clock;
        java.util.Arrays.fill(bucketOf, Long.MIN_VALUE);
    }

    /**
     * Applies a job's settings. What the run learned so far (limit, pace, latency) is kept ({@link
     * #startRun} forgets it); the limit is brought within the new ceiling.
     */
    public void configure(Settings settings) {
        lock.lock();
        try {
            this.settings = settings;
            limit = Math.min(limit, settings.ceiling());
            if (!settings.adaptive()) {
                limit = settings.ceiling();
            }
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What was learned belongs to one run: a new run (a new key: the OMS, the job and the execution)
     * starts from slow start again, so that a long-lived process (a worker, the demo, a test suite)
     * never applies yesterday's pace or latency to today's OMS. The partitions of one run share it.
     */
    public void startRun(Object runKey) {
        lock.lock();
        try {
            if (runKey.equals(this.runKey)) {
                return;
            }
            this.runKey = runKey;
            limit = Math.min(INITIAL_LIMIT, settings.ceiling());
            slowStart = true;
            learnedRate = Double.POSITIVE_INFINITY;
            nextSendAt = 0;
            holdUntil = 0;
            cutAt = 0;
            cutOnce = false;
            recoveryTarget = 0;
            probingSince = -1;
            peakDelivered = 0;
            episodeOpen = false;
            hold = 0;
            lastLatencyCutAt = 0;
            latencyCutOnce = false;
            recentRtt = 0;
            longRtt = 0;
            rttSamples = 0;
            minRttThisPeriod = Long.MAX_VALUE;
            minRttLastPeriod = Long.MAX_VALUE;
            periodStarted = false;
            java.util.Arrays.fill(successes, 0);
            java.util.Arrays.fill(bucketOf, Long.MIN_VALUE);
            sentAny = false;
            succeededOnce = false;
            refusedInARow = 0;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public Settings settings() {
        lock.lock();
        try {
            return settings;
        } finally {
            lock.unlock();
        }
    }

    /** The concurrency limit now: requests in flight at most. */
    public int limit() {
        lock.lock();
        try {
            return currentLimit();
        } finally {
            lock.unlock();
        }
    }

    /** Requests per second the attempts are paced at now; 0 when not paced. */
    public double rate() {
        lock.lock();
        try {
            double r = effectiveRate();
            return Double.isInfinite(r) ? 0 : r;
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** E.g. {@code limit 24, paced 1,800/s}; for progress lines. */
    public String describe() {
        int l = limit();
        double r = rate();
        return "limit " + l + (r > 0 ? String.format(java.util.Locale.ROOT, ", paced %,.0f/s", r) : "");
    }

    /**
     * Runs one attempt under a permit, and learns from how it ended: an answer, a 429 or 503
     * ({@link VendorHttpException#isTransient()}), or no answer (an I/O error).
     */
    public <T> T call(Retryable<T> attempt) throws Throwable {
        Permit permit = acquire();
        T result;
        try {
            result = attempt.execute();
        } catch (Throwable t) {
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                noAnswer(permit);
            } else if (t instanceof VendorHttpException v && v.isTransient()) {
                throttled(permit, v.status() == 429);
            } else {
                answered(permit);
            }
            throw t;
        }
        answered(permit);
        return result;
    }

    /** Waits for a place within the limit, then for the attempt's turn in the pace (and for any hold to end). */
    public Permit acquire() throws InterruptedException {
        boolean limitBound;
        lock.lockInterruptibly();
        try {
            while (inFlight >= currentLimit()) {
                freed.await();
            }
            inFlight++;
            limitBound = inFlight * 2 >= currentLimit();
        } finally {
            lock.unlock();
        }
        boolean waited = false;
        try {
            while (true) {
                long now;
                long slot;
                lock.lock();
                try {
                    now = clock.nanoTime();
                    slot = Math.max(now, holdUntil);
                    double rate = effectiveRate();
                    if (!Double.isInfinite(rate)) {
                        slot = Math.max(slot, nextSendAt);
                        nextSendAt = slot + (long) (SECOND / rate);
                    }
                    if (slot <= now) {
                        if (!sentAny) {
                            sentAny = true;
                            firstSentAt = now;
                        }
                        return new Permit(now, limitBound, waited);
                    }
                } finally {
                    lock.unlock();
                }
                waited = true;
                clock.sleepNanos(slot - now);
                lock.lock();
                try {
                    // A hold that began while this one slept is respected; otherwise the turn has come.
                    long after = clock.nanoTime();
                    if (holdUntil <= after) {
                        if (!sentAny) {
                            sentAny = true;
                            firstSentAt = after;
                        }
                        return new Permit(after, limitBound, true);
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            lock.lock();
            try {
                inFlight--;
                freed.signal();
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    /** The vendor answered (anything but 429/503): a latency sample and a delivered request. */
    public void answered(Permit permit) {
        lock.lock();
        try {
            long now = release();
            long rtt = Math.max(0, now - permit.sentAt());
            sampleRtt(now, rtt);
            countSuccess(now);
            if (!succeededOnce || permit.sentAt() - latestSuccessSentAt >= 0) {
                succeededOnce = true;
                latestSuccessSentAt = permit.sentAt();
                refusedInARow = 0;
            }
            if (episodeOpen && permit.sentAt() - cutAt >= 0) {
                // A request sent after the cut got through: the quota has room again.
                episodeOpen = false;
                hold = 0;
            }
            if (!settings.adaptive()) {
                return;
            }
            if (latencyRose() && (!latencyCutOnce || now - lastLatencyCutAt > (long) recentRtt)) {
                limit = Math.max(1, limit * LATENCY_BACKOFF);
                slowStart = false;
                latencyCutOnce = true;
                lastLatencyCutAt = now;
            } else if (permit.limitBound() && !permit.waitedToPace()) {
                limit = Math.min(settings.ceiling(), limit + (slowStart ? 1 : 1 / limit));
            }
            if (!Double.isInfinite(learnedRate) && !latencyRose() && rttSamples >= RTT_SAMPLES_BEFORE_JUDGING) {
                // Paced, the pace is the bound: the limit follows what the pace needs at the latency of now (a
                // vendor that answers slower with a steady latency needs more requests in flight for the same pace).
                double needed = Math.ceil(learnedRate * recentRtt / SECOND * LIMIT_HEADROOM);
                limit = Math.max(limit, Math.min(settings.ceiling(), needed));
            }
            if (permit.waitedToPace() && !Double.isInfinite(learnedRate)) {
                double growth = learnedRate < recoveryTarget ? RATE_GROWTH : probeGrowth(now);
                learnedRate += Math.max(growth, 1 / learnedRate);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The vendor said "not now": 429 ({@code tooManyRequests}) or 503. Not applied, so the caller may
     * send it again after the wait the vendor asks for.
     */
    public void throttled(Permit permit, boolean tooManyRequests) {
        lock.lock();
        try {
            long now = release();
            if (!settings.adaptive()) {
                return;
            }
            if (cutOnce && permit.sentAt() - cutAt < 0) {
                return; // sent before the last cut: part of the burst already answered
            }
            if (episodeOpen) {
                // Sent after the cut and still refused: the quota is spent until the vendor's window turns.
                if (hold > 0 && permit.sentAt() - holdSetAt < 0) {
                    return; // out before the hold began: its refusal is the one that set it
                }
                hold = hold == 0 ? firstHoldNanos(now - permit.sentAt()) : Math.min(MAX_HOLD_NANOS, 2 * hold);
                holdSetAt = now;
                holdUntil = Math.max(holdUntil, now + hold);
                return;
            }
            if (tooManyRequests && !inARowOfRefusals(permit)) {
                return; // scattered: the vendor let a later request through
            }
            if (tooManyRequests && cutOnce && now - cutAt < SECOND) {
                // A quota is counted per second at the finest: one cut per second, or scattered 429s would
                // cut the pace to nothing.
                return;
            }
            double delivered = deliveredPerSecond(now);
            peakDelivered = Math.max(peakDelivered, delivered);
            episodeOpen = true;
            cutOnce = true;
            cutAt = now;
            probingSince = -1;
            slowStart = false;
            if (tooManyRequests) {
                // A second cut soon after the first counts a second shortened by the first one's holds: the
                // quota met before is grown back to in seconds, not at the probing pace, and a quota the
                // vendor lowered costs one more cut for every 5% it fell.
                recoveryTarget = Math.max(delivered, RATE_MARGIN * recoveryTarget);
                // Never faster than before: the answers of the last second are an upper bound of the quota.
                learnedRate = Math.max(MIN_RATE, Math.min(learnedRate, RATE_MARGIN * delivered));
                // 429s that keep coming however slowly the client sends are not a quota: never below half the best
                // rate.
                learnedRate = Math.max(learnedRate, PACE_FLOOR * peakDelivered);
                double rtt = Math.max(recentRtt, minRtt());
                double needed = rttSamples == 0 ? limit : Math.ceil(learnedRate * rtt / SECOND * LIMIT_HEADROOM);
                limit = Math.max(1, Math.min(settings.ceiling(), needed));
                nextSendAt = Math.max(nextSendAt, now);
            } else {
                limit = Math.max(1, limit * OVERLOAD_BACKOFF);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Growth per second of a pace past the rate of the last cut: 1%, doubled every few seconds without a cut. */
    private double probeGrowth(long now) {
        if (probingSince < 0) {
            probingSince = now;
        }
        long doublings = (now - probingSince) / (PROBE_DOUBLING_SECONDS * SECOND);
        return Math.min(RATE_GROWTH, RATE_PROBE_GROWTH * (1L << Math.min(doublings, 8)));
    }

    /** Whether this 429 makes {@value #QUOTA_EVIDENCE} in a row, sent after the latest request that got through. */
    private boolean inARowOfRefusals(Permit permit) {
        if (succeededOnce && permit.sentAt() - latestSuccessSentAt < 0) {
            return false;
        }
        refusedInARow++;
        return refusedInARow >= QUOTA_EVIDENCE;
    }

    /** No answer (timeout, dropped connection): the permit is given back, nothing is learned. */
    public void noAnswer(Permit permit) {
        lock.lock();
        try {
            release();
        } finally {
            lock.unlock();
        }
    }

    private long release() {
        inFlight--;
        freed.signal();
        return clock.nanoTime();
    }

    private int currentLimit() {
        return settings.adaptive() ? (int) Math.max(1, Math.floor(limit)) : settings.ceiling();
    }

    private double effectiveRate() {
        double operator = settings.rateLimit() > 0 ? settings.rateLimit() : Double.POSITIVE_INFINITY;
        return settings.adaptive() ? Math.min(learnedRate, operator) : operator;
    }

    private void sampleRtt(long now, long rtt) {
        if (!periodStarted || now - periodStartedAt >= MIN_RTT_PERIOD_SECONDS * SECOND) {
            minRttLastPeriod = periodStarted ? minRttThisPeriod : Long.MAX_VALUE;
            minRttThisPeriod = Long.MAX_VALUE;
            periodStartedAt = now;
            periodStarted = true;
        }
        minRttThisPeriod = Math.min(minRttThisPeriod, rtt);
        recentRtt = rttSamples == 0 ? rtt : recentRtt + RTT_SMOOTHING * (rtt - recentRtt);
        // Averaged plainly at first, so that the first answers do not weigh for hundreds.
        longRtt = rttSamples == 0
                ? rtt
                : longRtt + Math.max(LONG_RTT_SMOOTHING, 1.0 / (rttSamples + 1)) * (rtt - longRtt);
        rttSamples++;
    }

    private long minRtt() {
        long min = Math.min(minRttThisPeriod, minRttLastPeriod);
        return min == Long.MAX_VALUE ? 0 : min;
    }

    private boolean latencyRose() {
        return rttSamples >= RTT_SAMPLES_BEFORE_JUDGING
                && recentRtt > LATENCY_TOLERANCE * longRtt + LATENCY_SLACK_NANOS;
    }

    /** As long as the refusal took to come back: a probe then learns as soon as it can whether the quota turned. */
    private static long firstHoldNanos(long refusalRoundTrip) {
        return Math.max(MIN_HOLD_NANOS, Math.min(FIRST_HOLD_MAX_NANOS, refusalRoundTrip));
    }

    private void countSuccess(long now) {
        long bucket = Math.floorDiv(now, BUCKET_NANOS);
        int i = (int) Math.floorMod(bucket, BUCKETS);
        if (bucketOf[i] != bucket) {
            bucketOf[i] = bucket;
            successes[i] = 0;
        }
        successes[i]++;
    }

    /** Successful answers of the last second. */
    private double deliveredPerSecond(long now) {
        long current = Math.floorDiv(now, BUCKET_NANOS);
        long count = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketOf[i] > current - BUCKETS && bucketOf[i] <= current) {
                count += successes[i];
            }
        }
        // Always over a whole second: a quota of N a second lets N through in the first tenth of it as well.
        return count;
    }
}
