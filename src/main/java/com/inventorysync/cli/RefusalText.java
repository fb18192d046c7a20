package com.inventorysync.cli;

import com.inventorysync.job.SyncLauncher;
import java.util.List;

/** Why a sync or restart did not run. */
final class RefusalText {

    private RefusalText() {}

    static List<String> lines(SyncLauncher.Refused refused) {
        return List.of(refused.command() + ": " + refused.message());
    }

    static List<String> lines(SyncLauncher.Busy busy) {
        if (busy.oms() == null) {
            return List.of(busy.command() + ": job '" + busy.jobName() + "' is being run by another process right now;"
                    + " only one sync or restart of a job runs at a time. Wait for it to finish (see: status).");
        }
        return List.of(busy.command() + ": the " + busy.oms() + " is being written to by "
                + (busy.holderJob() == null ? "another job" : "job '" + busy.holderJob() + "'")
                + " right now; only one job writes to"
                + " an OMS at a time. Job '" + busy.jobName()
                + "' sent nothing: run it again once that one has finished (see: status).");
    }
}
