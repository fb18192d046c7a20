package com.inventorysync.ops;

/**
 * A run's rows and Omni updates by outcome, counted from its own tables ({@code snapshot_row},
 * {@code rejected_row}, {@code planned_update} by state). {@code read = staged + rejected}.
 *
 * @param inFlight sent, the answer not recorded yet: normal while a run sends; left by a process that died,
 *                 their outcome is unknown until the restart reads them back. A summary counts them as unknown.
 */
public record RunCounts(
        long read,
        long staged,
        long rejected,
        long planned,
        long applied,
        long rejectedByOms,
        long unknown,
        long inFlight,
        long held,
        long pending,
        long skipped) {

    /** The counts a summary recorded at the end of its execution. */
    public static RunCounts of(RunSummary s) {
        return new RunCounts(
                s.read(),
                s.staged(),
                s.rejectedRows(),
                s.planned(),
                s.applied(),
                s.rejectedByOms(),
                s.unknown(),
                0,
                s.held(),
                s.pending(),
                s.skippedByMastership());
    }
}
