package com.inventorysync.cli;

import com.inventorysync.job.RunOutcome;

/** The process exit codes schedulers act on, and the one each outcome of a run exits with. */
public final class ExitCode {
    public static final int COMPLETED = 0;
    /** The run failed and can be restarted. */
    public static final int FAILED = 1;
    /** Bad usage, configuration or input file; also: another run holds the job or an OMS it writes to. */
    public static final int BAD_INPUT = 2;
    /** The guard refused the plan; nothing was sent. */
    public static final int REFUSED_BY_GUARD = 3;
    /** Reconciliation found more discrepancies than the job's alert threshold. */
    public static final int DISCREPANCIES_OVER_THRESHOLD = 4;

    private ExitCode() {}

    public static int of(RunOutcome outcome) {
        return switch (outcome) {
            case COMPLETED -> COMPLETED;
            case FAILED -> FAILED;
            case BAD_INPUT -> BAD_INPUT;
            case REFUSED_BY_GUARD -> REFUSED_BY_GUARD;
            case DISCREPANCIES_OVER_THRESHOLD -> DISCREPANCIES_OVER_THRESHOLD;
        };
    }
}
