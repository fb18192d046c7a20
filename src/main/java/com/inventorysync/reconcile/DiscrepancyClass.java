package com.inventorysync.reconcile;

/**
 * Why two counts disagree. For every class, {@code expected} is the count this product believes in
 * (computed from the physical counts, or last synced) and {@code actual} is what the OMS reports.
 */
public enum DiscrepancyClass {
    VIRTUAL_ABOVE_PHYSICAL(
            Comparison.POOLS,
            Impact.OVERSELL_RISK,
            "virtual above physical",
            "The pool's virtual count is higher than its member locations' available counts allow."),
    VIRTUAL_BELOW_PHYSICAL(
            Comparison.POOLS,
            Impact.LOST_SALES,
            "virtual below physical",
            "The pool's virtual count is lower than its member locations' available counts allow."),
    VIRTUAL_MISSING(
            Comparison.POOLS,
            Impact.LOST_SALES,
            "no virtual count",
            "Member locations hold the SKU but the OMS reports no virtual count for the pool."),
    PHYSICAL_MISSING(
            Comparison.POOLS,
            Impact.OVERSELL_RISK,
            "no physical count",
            "The OMS reports a virtual count but no member location holds the SKU."),
    LOCATION_NOT_IN_ANY_POOL(
            Comparison.POOLS,
            Impact.LOST_SALES,
            "location not in any pool",
            "An active OMS location holds available units that no pool of the job file counts."),
    OMS_CHANGED_SINCE_SYNC(
            Comparison.SYNCED,
            Impact.DRIFT,
            "OMS changed since sync",
            "The OMS holds a different on-hand count than the one last synced."),
    MISSING_IN_OMS(
            Comparison.SYNCED,
            Impact.DRIFT,
            "missing in OMS",
            "A count was synced but the OMS holds no on-hand count for the key."),
    NEVER_SYNCED(
            Comparison.SYNCED,
            Impact.DRIFT,
            "never synced",
            "The OMS holds an on-hand count, at a location the sync writes to, for a key never synced.");

    private final Comparison comparison;
    private final Impact impact;
    private final String label;
    private final String description;

    DiscrepancyClass(Comparison comparison, Impact impact, String label, String description) {
        this.comparison = comparison;
        this.impact = impact;
        this.label = label;
        this.description = description;
    }

    public Comparison comparison() {
        return comparison;
    }

    public Impact impact() {
        return impact;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }
}
