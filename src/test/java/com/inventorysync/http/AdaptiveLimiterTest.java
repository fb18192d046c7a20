package com.inventorysync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.inventorysync.http.AdaptiveLimiter.Permit;
import com.inventorysync.http.AdaptiveLimiter.Settings;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The limiter's rules on a clock moved by hand, one thread: nothing is timed, every step is a value.
 * A sleep moves the clock by exactly the time asked.
 */
class AdaptiveLimiterTest {
    static final long MS = 1_000_000L;

    static final class HandClock implements AdaptiveLimiter.Clock {
        long now = 1_000 * MS;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    final HandClock clock = new HandClock();
    final AdaptiveLimiter limiter = new AdaptiveLimiter(clock);

    @Test
    void slowStartDoublesTheLimitPerRoundTripWhileTheLimitHoldsRequestsBack() throws Exception {
        limiter.configure(new Settings(256, 0, true));
        assertThat(limiter.limit()).isEqualTo(AdaptiveLimiter.INITIAL_LIMIT);

        roundTrip(limiter.limit(), 10 * MS);

        assertThat(limiter.limit())
                .as("each answer sent with at least half the limit in use adds one: the 8th to the 16th")
                .isEqualTo(16 + 9);
        roundTrip(limiter.limit(), 10 * MS);
        assertThat(limiter.limit()).isEqualTo(25 + 13);
    }

    @Test
    void aCallerThatDoesNotFillTheLimitDoesNotRaiseIt() throws Exception {
        limiter.configure(new Settings(256, 0, true));
        for (int i = 0; i < 100; i++) {
            Permit p = limiter.acquire();
            clock.now += 10 * MS;
            limiter.answered(p);
        }
        assertThat(limiter.limit()).isEqualTo(AdaptiveLimiter.INITIAL_LIMIT);
    }

    @Test
    void theLimitNeverPassesTheCeiling() throws Exception {
        limiter.configure(new Settings(20, 0, true));
        for (int i = 0; i < 5; i++) {
            roundTrip(limiter.limit(), 10 * MS);
        }
        assertThat(limiter.limit()).isEqualTo(20);
    }

    @Test
    void a429PacesJustUnderTheRateDeliveredAndOneBurstIsOneCut() throws Exception {
        limiter.configure(new Settings(256, 0, true));
        // 2 s of full rounds of 50 ms, then the quota is spent.
        List<Long> answeredAt = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            int n = limiter.limit();
            roundTrip(n, 50 * MS);
            for (int i = 0; i < n; i++) {
                answeredAt.add(clock.now);
            }
        }
        List<Permit> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            burst.add(limiter.acquire());
        }
        clock.now += MS;
        for (Permit p : burst.subList(0, AdaptiveLimiter.QUOTA_EVIDENCE)) {
            limiter.throttled(p, true);
        }
        double paced = limiter.rate();
        int limit = limiter.limit();
        for (Permit p : burst.subList(AdaptiveLimiter.QUOTA_EVIDENCE, 5)) {
            limiter.throttled(p, true);
        }

        long now = clock.now;
        assertThat(paced)
                .as(AdaptiveLimiter.RATE_MARGIN + " x the answers of the last second (counted in 50 ms steps)")
                .isBetween(
                        AdaptiveLimiter.RATE_MARGIN
                                * answeredAt.stream()
                                        .filter(t -> now - t < 950 * MS)
                                        .count(),
                        AdaptiveLimiter.RATE_MARGIN
                                * answeredAt.stream()
                                        .filter(t -> now - t < 1050 * MS)
                                        .count());
        assertThat(limiter.rate())
                .as("the rest of the burst was sent before the cut")
                .isEqualTo(paced);
        assertThat(limiter.limit()).isEqualTo(limit);
    }

    @Test
    void aSecondCutCountedShortByTheHoldsStillGrowsQuicklyBackTowardTheFirstCutsRate() throws Exception {
        double margin = AdaptiveLimiter.RATE_MARGIN;
        limiter.configure(new Settings(256, 0, true));
        deliverOneByOne(1_000, MS); // 1,000 in the last second
        refuseInARow();
        double first = limiter.rate();
        assertThat(first)
                .as("the margin x the last second's count, in 50 ms steps")
                .isBetween(margin * 940, margin * 1000);
        clock.now += 300 * MS; // held while the quota was spent
        long resumed = clock.now;
        while (clock.now - resumed < 700 * MS) {
            deliverOneByOne(1, 0); // paced: about 630 in the last second
        }
        refuseInARow();
        double second = limiter.rate();
        assertThat(second).isBetween(margin * 550, margin * 700);

        // At 5% of the pace a second (0.05 per answer) from the second cut to 850 takes this many answers; probing
        // past the second cut's count, from 1% a second, it would stay under 750.
        int answers = (int) ((850 - second) / AdaptiveLimiter.RATE_GROWTH) + 1;
        deliverOneByOne(answers, 0);
        assertThat(limiter.rate())
                .as("grown at 5%% a second back to the first cut's pace (%s x its count)", margin)
                .isBetween(850.0, first + 1);
    }

    @Test
    void probingPastTheLastCutsRateSpeedsUpWhileNoCutComes() throws Exception {
        limiter.configure(new Settings(256, 0, true));
        deliverOneByOne(1_000, MS);
        refuseInARow();
        double cut = limiter.rate();

        long start = clock.now;
        while (clock.now - start < 10 * AdaptiveLimiter.SECOND) {
            deliverOneByOne(1, 0);
        }

        // About 1 s back to the cut's count at 5%, then 2 s at 1%, 2% and 4% each, 3 s at 5%: over 1.3 x the cut;
        // at 1% all along, under 1.15 x.
        assertThat(limiter.rate()).isGreaterThan(1.25 * cut);
    }

    @Test
    void pacedRequestsLeaveEvenlySpaced() throws Exception {
        limiter.configure(new Settings(256, 100, true));
        long first = limiter.acquire().sentAt();
        long second = limiter.acquire().sentAt();
        long third = limiter.acquire().sentAt();

        assertThat(second - first).isEqualTo(10 * MS);
        assertThat(third - second).isEqualTo(10 * MS);
        assertThat(limiter.rate()).isEqualTo(100.0);
    }

    @Test
    void aThrottleOfARequestSentAfterTheCutHoldsEverySendUntilAProbeGetsThrough() throws Exception {
        limiter.configure(new Settings(256, 0, true));
        Permit first = limiter.acquire();
        clock.now += 5 * MS;
        limiter.answered(first);
        refuseInARow();
        Permit afterCut = limiter.acquire();
        clock.now += MS;
        limiter.throttled(afterCut, true);
        long heldFrom = clock.now;

        Permit probe = limiter.acquire();
        double pacedAtProbe = limiter.rate();

        assertThat(probe.sentAt() - heldFrom)
                .as("held as long as the refusal took to come back, at least 10 ms")
                .isGreaterThanOrEqualTo(AdaptiveLimiter.MIN_HOLD_NANOS);
        clock.now += 5 * MS;
        limiter.answered(probe);
        long before = clock.now;
        Permit next = limiter.acquire();
        assertThat(next.sentAt() - before)
                .as("the probe got through: no hold, only the pace learned from the 429")
                .isLessThanOrEqualTo((long) (AdaptiveLimiter.SECOND / pacedAtProbe) + 1);
        clock.now += MS;
        limiter.answered(next);
        double pace = limiter.rate();
        clock.now += AdaptiveLimiter.SECOND;
        refuseInARow();
        assertThat(limiter.rate())
                .as("a throttle after a request sent after the cut got through is a new burst: cut again, never faster")
                .isLessThanOrEqualTo(pace);
    }

    @Test
    void refusalsOfRequestsOutBeforeAHoldDoNotLengthenItARefusedProbeDoublesIt() throws Exception {
        limiter.configure(new Settings(256, 0, true));
        for (int round = 0; round < 20; round++) {
            roundTrip(limiter.limit(), 50 * MS); // enough in flight that four may be out at once after the cut
        }
        refuseInARow();
        List<Permit> afterCut = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            afterCut.add(limiter.acquire());
        }
        clock.now += 20 * MS;
        long refusedAt = clock.now;
        afterCut.forEach(p -> limiter.throttled(p, true));

        Permit probe = limiter.acquire();
        long held = probe.sentAt() - refusedAt;
        assertThat(held)
                .as("one hold as long as the first refusal took (20 ms and the pace's spacing of the four), whatever"
                        + " the others out with it say")
                .isBetween(20 * MS, 25 * MS);
        clock.now += MS;
        long probeRefusedAt = clock.now;
        limiter.throttled(probe, true);
        Permit secondProbe = limiter.acquire();
        assertThat(secondProbe.sentAt() - probeRefusedAt)
                .as("the probe sent after the hold was refused: the hold doubles")
                .isEqualTo(2 * held);
    }

    @Test
    void scattered429sThatTheNextRequestGetsPastAreRetriedAndTeachNothing() throws Exception {
        limiter.configure(new Settings(256, 0, true));
        for (int round = 0; round < 100; round++) {
            Permit refused = limiter.acquire();
            Permit through = limiter.acquire();
            clock.now += 10 * MS;
            limiter.throttled(refused, true);
            limiter.answered(through);
            Permit refusedAgain = limiter.acquire();
            clock.now += MS;
            Permit throughAgain = limiter.acquire();
            clock.now += 10 * MS;
            limiter.answered(throughAgain);
            limiter.throttled(refusedAgain, true);
        }
        assertThat(limiter.rate()).as("not paced").isZero();
        assertThat(limiter.limit()).isEqualTo(AdaptiveLimiter.INITIAL_LIMIT);

        refuseInARow();
        assertThat(limiter.rate())
                .as("%d refused in a row: a quota", AdaptiveLimiter.QUOTA_EVIDENCE)
                .isPositive();
    }

    @Test
    void a503CutsTheLimitAndLeavesThePaceAlone() throws Exception {
        limiter.configure(new Settings(256, 0, true));
        roundTrip(limiter.limit(), 10 * MS);
        int before = limiter.limit();
        Permit p = limiter.acquire();
        limiter.throttled(p, false);

        assertThat(limiter.limit()).isEqualTo((int) (before * AdaptiveLimiter.OVERLOAD_BACKOFF));
        assertThat(limiter.rate()).as("not paced").isZero();
    }

    @Test
    void risingLatencyCutsTheLimitOncePerRoundTrip() throws Exception {
        limiter.configure(new Settings(256, 0, true));
        for (int i = 0; i < 3; i++) {
            roundTrip(limiter.limit(), 10 * MS);
        }
        int before = limiter.limit();
        // The OMS slows to 100 ms: the recent average passes twice the minimum within a few answers.
        roundTrip(limiter.limit(), 100 * MS);

        assertThat(limiter.limit()).isLessThan(before).isGreaterThanOrEqualTo((int) (before * 0.9) - 1);
    }

    @Test
    void withoutAdaptationTheLimitIsTheCeilingWhatever429sSay() throws Exception {
        limiter.configure(new Settings(16, 0, false));
        for (int i = 0; i < 10; i++) {
            Permit p = limiter.acquire();
            limiter.throttled(p, true);
        }
        assertThat(limiter.limit()).isEqualTo(16);
        assertThat(limiter.rate()).isZero();
    }

    @Test
    void callGivesThePermitBackHoweverTheAttemptEnds() throws Throwable {
        limiter.configure(new Settings(4, 0, true));
        assertThat(limiter.<String>call(() -> "ok")).isEqualTo("ok");
        assertThatThrownBy(() -> limiter.call(() -> {
                    throw new UncheckedIOException(new java.io.IOException("reset"));
                }))
                .isInstanceOf(UncheckedIOException.class);
        for (int i = 0; i < AdaptiveLimiter.QUOTA_EVIDENCE; i++) {
            assertThatThrownBy(() -> limiter.call(() -> {
                        throw new VendorHttpException("PUT", "/x", 429, "slow down", Duration.ofSeconds(1));
                    }))
                    .isInstanceOf(VendorHttpException.class);
        }
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.rate()).as("429s in a row pace").isPositive();
    }

    @Test
    void settingsRefuseWhatCannotBeMet() {
        assertThatThrownBy(() -> new Settings(0, 0, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(1, -1, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(1, Double.NaN, true)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A spent quota: requests sent one after the other, each answered 429 a millisecond later. */
    private void refuseInARow() throws InterruptedException {
        for (int i = 0; i < AdaptiveLimiter.QUOTA_EVIDENCE; i++) {
            Permit refused = limiter.acquire();
            clock.now += MS;
            limiter.throttled(refused, true);
        }
    }

    /** {@code n} requests one after the other (in their turn when paced), each answered {@code rtt} after it left. */
    private void deliverOneByOne(int n, long rtt) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            Permit p = limiter.acquire();
            clock.now += rtt;
            limiter.answered(p);
        }
    }

    /** {@code n} requests out at once, all answered after {@code rtt}. */
    private void roundTrip(int n, long rtt) throws InterruptedException {
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            permits.add(limiter.acquire());
        }
        clock.now += rtt;
        permits.forEach(limiter::answered);
    }
}
