package com.inventorysync.reconcile;

/** The two comparisons a reconciliation run makes. */
public enum Comparison {
    /** Omni's virtual (pool) counts against the counts computed from Omni's available counts by the job file's pool definitions. */
    POOLS,
    /** The counts this product last synced against the on-hand counts Omni holds now. */
    SYNCED
}
