package com.inventorysync.cli;

/** The process exit codes schedulers act on. */
public final class ExitCode {
    public static final int COMPLETED = 0;
    /** The run failed and can be restarted. */
    public static final int FAILED = 1;
    /** Bad usage, configuration or input file; also: another run of the same job is in progress. */
    public static final int BAD_INPUT = 2;
    /** The guard refused the plan; nothing was sent. */
    public static final int REFUSED_BY_GUARD = 3;
    /** Reconciliation found more discrepancies than the job's alert threshold. */
    public static final int DISCREPANCIES_OVER_THRESHOLD = 4;

    private ExitCode() {
    }
}
