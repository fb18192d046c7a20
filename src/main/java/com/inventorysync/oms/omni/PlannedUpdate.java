package com.inventorysync.oms.omni;

/**
 * One row of {@code planned_update}: the update a run will send for one key, and where it stands.
 *
 * @param previousCount the last-synced count it was planned against, null for a new key
 * @param observedBefore the OMS's on-hand read just before a Delta was sent, null otherwise
 */
public record PlannedUpdate(
        long id,
        long runId,
        String target,
        String sku,
        String location,
        String changeKind,
        QuantityType quantityType,
        int quantity,
        int newCount,
        Integer previousCount,
        State state,
        Integer observedBefore,
        int attempts) {

    /**
     * PENDING -> IN_FLIGHT -> APPLIED | REJECTED | UNKNOWN, or back to PENDING when the vendor said
     * "not applied, later". UNKNOWN (and IN_FLIGHT left by a dead process) are resolved by reading
     * the count back: APPLIED, PENDING, or HELD when the count moved for another reason.
     * SKIPPED: not sent because another system masters that location's inventory.
     * SUPERSEDED: not sent, or found not applied, when a later run of the target planned the key again.
     */
    public enum State {
        PENDING,
        IN_FLIGHT,
        APPLIED,
        REJECTED,
        UNKNOWN,
        HELD,
        SKIPPED,
        SUPERSEDED
    }

    /** What the vendor receives; its {@code X-Request-Id} is {@link #requestId()}. */
    public OnHandUpdate toOnHandUpdate() {
        return new OnHandUpdate(sku, location, quantityType, quantity);
    }

    /** The same update, back in the queue to be sent. */
    public PlannedUpdate asPending() {
        return new PlannedUpdate(
                id,
                runId,
                target,
                sku,
                location,
                changeKind,
                quantityType,
                quantity,
                newCount,
                previousCount,
                State.PENDING,
                observedBefore,
                attempts);
    }

    public String requestId() {
        return "pu-" + id;
    }
}
