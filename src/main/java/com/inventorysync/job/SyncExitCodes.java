package com.inventorysync.job;

/** The exit statuses a sync execution ends with, and the outcome each comes to. */
public final class SyncExitCodes {
    public static final String COMPLETED = "COMPLETED";
    public static final String DRY_RUN = "DRY_RUN";
    public static final String REFUSED_BY_GUARD = "REFUSED_BY_GUARD";
    public static final String BAD_INPUT = "BAD_INPUT";
    public static final String FAILED = "FAILED";
    /** The OMS refused the credentials: fix them, then sync again (the run continues where it stopped). */
    public static final String CREDENTIALS_REFUSED = "CREDENTIALS_REFUSED";

    private SyncExitCodes() {}

    public static RunOutcome outcomeOf(String exitStatus, boolean completed) {
        if (REFUSED_BY_GUARD.equals(exitStatus)) {
            return RunOutcome.REFUSED_BY_GUARD;
        }
        if (BAD_INPUT.equals(exitStatus) || CREDENTIALS_REFUSED.equals(exitStatus)) {
            return RunOutcome.BAD_INPUT;
        }
        return completed ? RunOutcome.COMPLETED : RunOutcome.FAILED;
    }
}
