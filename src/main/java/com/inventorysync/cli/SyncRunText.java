package com.inventorysync.cli;

import com.inventorysync.job.SyncLauncher;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.BatchStatus;

/** What an execution of the sync did: its summary, Kibo's report, its files, and what to do next. */
final class SyncRunText {

    private SyncRunText() {}

    static List<String> lines(SyncLauncher.Ran ran) {
        List<String> lines = new ArrayList<>();
        if (ran.summary() != null) {
            // the same words as the run's summary.txt
            lines.addAll(ran.summary().toText().lines().toList());
        } else {
            lines.add("execution " + ran.executionId() + ": " + ran.status() + " (" + ran.exitStatus() + ")");
        }
        ran.kiboReport().forEach(line -> lines.add("  " + line));
        lines.add("  rejects: " + ran.rejects());
        if (ran.plan() != null) {
            lines.add("  plan (dry run, nothing sent): " + ran.plan());
        }
        lines.add("  summary: " + ran.summaryFile());
        if (ran.reconciled() != null) {
            lines.addAll(ReconcileRunText.lines(ran.reconciled()));
        }
        switch (ran.outcome()) {
            case FAILED ->
                lines.add(
                        ran.status() == BatchStatus.STOPPED
                                // stopped at a chunk boundary, as the process was asked to end (SIGTERM)
                                ? "  stopped: the updates not sent yet stay PENDING; continue the run with: restart --last-failed --job "
                                        + ran.definitionFile() + " (or restart --execution " + ran.executionId() + ")"
                                : "  the run can be restarted: restart --execution " + ran.executionId()
                                        + " (or restart --last-failed)");
            case REFUSED_BY_GUARD ->
                lines.add(
                        "  refused by the guard: nothing was sent; if the snapshot is right, sync again with --force");
            default -> {}
        }
        return lines;
    }
}
