package com.inventorysync.oms.omni;

import com.inventorysync.oms.omni.DeltaReadBack.Verdict;
import com.inventorysync.oms.omni.PlannedUpdate.State;
import com.inventorysync.oms.omni.PlannedUpdateStore.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles updates whose outcome is not known: UNKNOWN (no answer came, or not the contract's) and
 * IN_FLIGHT (the process died with the request out). Nothing is read back before the update's
 * settle time has passed since its request was sent, so that a request the OMS applies late is
 * seen as applied. An {@code Absolute} of this run goes back to PENDING, since sending it again is
 * harmless. A {@code Delta} is never sent again blindly: its key's on-hand is read back (batched
 * GETs) and judged against the count observed before it was sent ({@link DeltaReadBack}).
 */
public class UnknownOutcomeResolver {
    private static final Logger log = LoggerFactory.getLogger(UnknownOutcomeResolver.class);

    private final OmniClient omni;
    private final PlannedUpdateStore store;

    public UnknownOutcomeResolver(OmniClient omni, PlannedUpdateStore store) {
        this.omni = omni;
        this.store = store;
    }

    /** What resolution did: updates to send again, and how many were found applied, held or superseded. */
    public record Resolution(List<PlannedUpdate> toResend, int applied, int held, int superseded) {
        static final Resolution NONE = new Resolution(List.of(), 0, 0, 0);
    }

    /** Waits until every update's settle time has passed, then resolves them as this run's own ({@link #resolve}). */
    public Resolution resolveWhenSettled(List<PlannedUpdate> open) {
        awaitSettled(open);
        return resolve(open);
    }

    /**
     * Settles this run's updates whose settle time has passed: an Absolute goes back to PENDING,
     * a Delta is read back.
     */
    public Resolution resolve(List<PlannedUpdate> open) {
        return readBack(open, false);
    }

    /**
     * Settles the open updates of earlier runs before a later run plans the same target: waits for
     * their settle time, reads every one back, and moves the baselines to what the OMS holds.
     * Nothing is sent again: the later run's plan decides what each key still needs.
     */
    public Resolution settleForLaterRun(List<PlannedUpdate> open) {
        awaitSettled(open);
        return readBack(open, true);
    }

    private void awaitSettled(List<PlannedUpdate> open) {
        if (open.isEmpty()) {
            return;
        }
        Instant last = store.settleDeadlines(open).values().stream()
                .max(Instant::compareTo)
                .orElse(Instant.now());
        Duration wait = Duration.between(Instant.now(), last);
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        log.info(
                "waiting {} s for {} update(s) of unknown outcome to settle before reading them back (inventory-sync.http.settle-time)",
                Math.max(1, wait.toSeconds()),
                open.size());
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for updates to settle; they stay unresolved", e);
        }
    }

    private Resolution readBack(List<PlannedUpdate> open, boolean forLaterRun) {
        if (open.isEmpty()) {
            return Resolution.NONE;
        }
        List<PlannedUpdate> readBack = forLaterRun
                ? open
                : open.stream()
                        .filter(u -> u.quantityType() == QuantityType.Delta)
                        .toList();
        Map<SkuAtLocation, Integer> now = readBack.isEmpty()
                ? Map.of()
                : omni.onHandOf(readBack.stream()
                        .map(u -> new SkuAtLocation(u.sku(), u.location()))
                        .toList());
        List<Outcome> outcomes = new ArrayList<>(open.size());
        List<PlannedUpdate> toResend = new ArrayList<>();
        List<PlannedUpdate> baselineUnknown = new ArrayList<>();
        int applied = 0;
        int held = 0;
        int superseded = 0;
        for (PlannedUpdate u : open) {
            Integer current = now.get(new SkuAtLocation(u.sku(), u.location()));
            if (u.quantityType() == QuantityType.Absolute) {
                if (!forLaterRun) {
                    outcomes.add(new Outcome(u, State.PENDING, 0, "outcome unknown; an Absolute is sent again", 0));
                    toResend.add(u);
                } else if (zero(current) == u.newCount()) {
                    outcomes.add(new Outcome(
                            u, State.APPLIED, 0, "outcome unknown; read back: on-hand is " + u.newCount(), 0));
                    applied++;
                } else {
                    // Not applied, or applied and moved since: the later run sends this key as Absolute.
                    outcomes.add(new Outcome(
                            u,
                            State.SUPERSEDED,
                            0,
                            "outcome unknown; read back: on-hand " + zero(current) + ", not " + u.newCount()
                                    + "; a later run planned this key again",
                            0));
                    baselineUnknown.add(u);
                    superseded++;
                }
                continue;
            }
            Verdict verdict = DeltaReadBack.judge(u.observedBefore(), u.quantity(), current);
            switch (verdict) {
                case APPLIED -> {
                    outcomes.add(new Outcome(
                            u,
                            State.APPLIED,
                            0,
                            "outcome unknown; read back: applied (on-hand " + zero(u.observedBefore()) + " -> "
                                    + zero(current) + ")",
                            0));
                    applied++;
                }
                case NOT_APPLIED -> {
                    if (forLaterRun) {
                        outcomes.add(new Outcome(
                                u,
                                State.SUPERSEDED,
                                0,
                                "outcome unknown; read back: not applied (on-hand still " + zero(current)
                                        + "); a later run planned this key again",
                                0));
                        superseded++;
                    } else {
                        outcomes.add(new Outcome(
                                u,
                                State.PENDING,
                                0,
                                "outcome unknown; read back: not applied (on-hand still " + zero(current)
                                        + "), sent again",
                                0));
                        toResend.add(u);
                    }
                }
                case CANNOT_TELL -> {
                    outcomes.add(new Outcome(u, State.HELD, 0, heldMessage(u, current), 0));
                    baselineUnknown.add(u);
                    held++;
                }
            }
        }
        store.recordOutcomes(outcomes);
        store.forgetSyncedPositions(baselineUnknown);
        return new Resolution(toResend.stream().map(PlannedUpdate::asPending).toList(), applied, held, superseded);
    }

    /** The numbers an operator needs to settle the key by hand. */
    static String heldMessage(PlannedUpdate u, Integer current) {
        int before = zero(u.observedBefore());
        return "HELD: cannot tell whether Delta " + signed(u.quantity()) + " was applied: on-hand before " + before
                + ", expected after " + (before + u.quantity()) + ", now " + zero(current)
                + "; nothing re-sent; the next run sends this key as Absolute";
    }

    private static int zero(Integer n) {
        return n == null ? 0 : n;
    }

    private static String signed(int n) {
        return n > 0 ? "+" + n : Integer.toString(n);
    }
}
