package com.inventorysync.job;

/** What a sync, restart or reconciliation came to, as a scheduler tells outcomes apart. */
public enum RunOutcome {
    COMPLETED,
    /** The run failed and can be restarted. */
    FAILED,
    /** Bad usage, configuration or input; also: another run holds the job or an OMS it writes to. */
    BAD_INPUT,
    /** The guard refused the plan; nothing was sent. */
    REFUSED_BY_GUARD,
    /** Reconciliation found more discrepancies than the job's alert threshold. */
    DISCREPANCIES_OVER_THRESHOLD
}
