package com.inventorysync.target.omni;

import com.inventorysync.plan.PlannedUpdate;
import com.inventorysync.plan.PlannedUpdate.State;
import com.inventorysync.plan.PlannedUpdateStore;
import com.inventorysync.plan.PlannedUpdateStore.Outcome;
import com.inventorysync.target.omni.DeltaReadBack.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settles updates whose outcome is not known: UNKNOWN (no answer came) and IN_FLIGHT (the process
 * died with the request out). An {@code Absolute} goes back to PENDING, since sending it again is
 * harmless. A {@code Delta} is never sent again blindly: its key's on-hand is read back (batched
 * GETs) and judged against the count observed before it was sent ({@link DeltaReadBack}).
 */
public class UnknownOutcomeResolver {
    private final OmniClient omni;
    private final PlannedUpdateStore store;

    public UnknownOutcomeResolver(OmniClient omni, PlannedUpdateStore store) {
        this.omni = omni;
        this.store = store;
    }

    /** What resolution did: updates to send again, and how many were found applied or held. */
    public record Resolution(List<PlannedUpdate> toResend, int applied, int held) {
    }

    public Resolution resolve(List<PlannedUpdate> open) {
        if (open.isEmpty()) {
            return new Resolution(List.of(), 0, 0);
        }
        List<PlannedUpdate> deltas = open.stream().filter(u -> u.quantityType() == QuantityType.Delta).toList();
        Map<SkuAtLocation, Integer> now = deltas.isEmpty() ? Map.of()
                : omni.onHandOf(deltas.stream().map(u -> new SkuAtLocation(u.sku(), u.location())).toList());
        List<Outcome> outcomes = new ArrayList<>(open.size());
        List<PlannedUpdate> toResend = new ArrayList<>();
        List<PlannedUpdate> held = new ArrayList<>();
        int applied = 0;
        for (PlannedUpdate u : open) {
            if (u.quantityType() == QuantityType.Absolute) {
                outcomes.add(new Outcome(u, State.PENDING, 0, "outcome unknown; an Absolute is sent again", 0));
                toResend.add(u);
                continue;
            }
            Integer current = now.get(new SkuAtLocation(u.sku(), u.location()));
            Verdict verdict = DeltaReadBack.judge(u.observedBefore(), u.quantity(), current);
            switch (verdict) {
                case APPLIED -> {
                    outcomes.add(new Outcome(u, State.APPLIED, 0, "outcome unknown; read back: applied (on-hand "
                            + zero(u.observedBefore()) + " -> " + zero(current) + ")", 0));
                    applied++;
                }
                case NOT_APPLIED -> {
                    outcomes.add(new Outcome(u, State.PENDING, 0, "outcome unknown; read back: not applied (on-hand still "
                            + zero(current) + "), sent again", 0));
                    toResend.add(u);
                }
                case CANNOT_TELL -> {
                    outcomes.add(new Outcome(u, State.HELD, 0, heldMessage(u, current), 0));
                    held.add(u);
                }
            }
        }
        store.recordOutcomes(outcomes);
        store.forgetSyncedPositions(held);
        return new Resolution(toResend.stream().map(PlannedUpdate::asPending).toList(), applied, held.size());
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
