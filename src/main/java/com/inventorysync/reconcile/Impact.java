package com.inventorysync.reconcile;

/** What a discrepancy is likely to cost, which is what an operator sorts the morning's work by. */
public enum Impact {
    /** The OMS can sell more than the locations hold. */
    OVERSELL_RISK("oversell risk"),
    /** The OMS sells less than the locations hold. */
    LOST_SALES("lost sales"),
    /** The counts moved away from what was synced; the cost depends on who changed them. */
    DRIFT("drift since sync");

    private final String label;

    Impact(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
