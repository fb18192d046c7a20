package com.inventorysync.reconcile;

import java.util.Optional;

/**
 * Decides whether two counts disagree enough to report, and why. A difference whose absolute size
 * is at or below the tolerance is not reported.
 */
public final class DiscrepancyClassifier {
    private final int tolerance;

    public DiscrepancyClassifier(int tolerance) {
        if (tolerance < 0) {
            throw new IllegalArgumentException("tolerance must be >= 0, was " + tolerance);
        }
        this.tolerance = tolerance;
    }

    public int tolerance() {
        return tolerance;
    }

    /**
     * One pool and SKU.
     *
     * @param reported the OMS's virtual count, null when it reports none
     * @param memberAvailableSum the sum of available counts over the member locations, null when no member holds the SKU
     * @param buffer the pool's buffer
     */
    public Optional<Discrepancy> pool(
            String group, String pool, String sku, Integer reported, Long memberAvailableSum, int buffer) {
        int expected = PoolCalculation.expected(memberAvailableSum == null ? 0 : memberAvailableSum, buffer);
        int actual = reported == null ? 0 : reported;
        if (Math.abs((long) actual - expected) <= tolerance) {
            return Optional.empty();
        }
        DiscrepancyClass cls;
        if (reported == null) {
            cls = DiscrepancyClass.VIRTUAL_MISSING;
        } else if (memberAvailableSum == null) {
            cls = DiscrepancyClass.PHYSICAL_MISSING;
        } else if (actual > expected) {
            cls = DiscrepancyClass.VIRTUAL_ABOVE_PHYSICAL;
        } else {
            cls = DiscrepancyClass.VIRTUAL_BELOW_PHYSICAL;
        }
        return Optional.of(Discrepancy.of(cls, group, pool, null, sku, expected, reported));
    }

    /**
     * One key of the last sync against the OMS's on-hand.
     *
     * @param synced the count last synced, null when the key was never synced
     * @param held the on-hand count the OMS holds, null when it holds none
     */
    public Optional<Discrepancy> synced(String location, String sku, Integer synced, Integer held) {
        if (synced == null && held == null) {
            return Optional.empty();
        }
        int s = synced == null ? 0 : synced;
        int h = held == null ? 0 : held;
        if (Math.abs((long) h - s) <= tolerance) {
            return Optional.empty();
        }
        DiscrepancyClass cls = synced == null
                ? DiscrepancyClass.NEVER_SYNCED
                : held == null ? DiscrepancyClass.MISSING_IN_OMS : DiscrepancyClass.OMS_CHANGED_SINCE_SYNC;
        return Optional.of(Discrepancy.of(cls, null, null, location, sku, synced, held));
    }

    /**
     * An active OMS location that no pool counts: the units it holds are expected to be sellable,
     * and no pool sells them, so it reads as {@code expected = units, actual = 0}.
     */
    public Optional<Discrepancy> unpooledLocation(String location, long availableUnits) {
        int units = (int) Math.min(Integer.MAX_VALUE, availableUnits);
        if (units <= tolerance) {
            return Optional.empty();
        }
        return Optional.of(
                Discrepancy.of(DiscrepancyClass.LOCATION_NOT_IN_ANY_POOL, null, null, location, null, units, 0));
    }
}
