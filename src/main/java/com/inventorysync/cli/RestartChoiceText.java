package com.inventorysync.cli;

import com.inventorysync.job.SyncLauncher;
import java.util.ArrayList;
import java.util.List;

/** The restartable executions {@code restart --last-failed} found in several jobs, each with the command that restarts it. */
final class RestartChoiceText {

    private RestartChoiceText() {}

    static List<String> lines(SyncLauncher.RestartChoice choice) {
        List<String> lines = new ArrayList<>();
        lines.add(
                "restart: " + choice.candidates().size() + " jobs have a failed execution; say which one to restart:");
        for (SyncLauncher.Restartable c : choice.candidates()) {
            lines.add("  job '" + c.jobName() + "': execution " + c.executionId() + " " + c.status() + ", started "
                    + (c.startedAt() == null
                            ? "?"
                            : c.startedAt().withNano(0).toString().replace('T', ' '))
                    + "  ->  restart --last-failed --job " + c.definitionFile());
        }
        return lines;
    }
}
