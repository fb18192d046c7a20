package com.inventorysync.job;

import com.inventorysync.cli.ExitCode;

/** The exit statuses a sync execution ends with, and the process exit code of each. */
public final class SyncExitCodes {
    public static final String COMPLETED = "COMPLETED";
    public static final String DRY_RUN = "DRY_RUN";
    public static final String REFUSED_BY_GUARD = "REFUSED_BY_GUARD";
    public static final String BAD_INPUT = "BAD_INPUT";
    public static final String FAILED = "FAILED";
    /** The OMS refused the credentials: fix them, then sync again (the run continues where it stopped). */
    public static final String CREDENTIALS_REFUSED = "CREDENTIALS_REFUSED";

    private SyncExitCodes() {
    }

    public static int processExitCode(String exitStatus, boolean completed) {
        if (REFUSED_BY_GUARD.equals(exitStatus)) {
            return ExitCode.REFUSED_BY_GUARD;
        }
        if (BAD_INPUT.equals(exitStatus) || CREDENTIALS_REFUSED.equals(exitStatus)) {
            return ExitCode.BAD_INPUT;
        }
        return completed ? ExitCode.COMPLETED : ExitCode.FAILED;
    }
}
