package com.inventorysync.cli;

import com.inventorysync.job.SyncLauncher;
import java.util.ArrayList;
import java.util.List;

/** The lines {@code sync} and {@code restart} print for what a launch came to. */
public final class SyncResultText {

    private SyncResultText() {}

    public static List<String> lines(SyncLauncher.Result result) {
        List<String> lines = new ArrayList<>();
        if (result.restartOf() != null) {
            lines.add("restart: restarting execution " + result.restartOf().executionId() + " of job '"
                    + result.restartOf().jobName() + "'");
        }
        if (result.pulled() != null) {
            lines.add("pulled " + result.pulled().items() + " stock records from ShipEdge ("
                    + result.pulled().pages() + (result.pulled().pages() == 1 ? " page" : " pages") + ") into "
                    + result.pulled().file());
        }
        SyncLauncher.Report report = result.report();
        if (report instanceof SyncLauncher.Ran ran) {
            lines.addAll(SyncRunText.lines(ran));
        } else if (report instanceof SyncLauncher.Refused refused) {
            lines.addAll(RefusalText.lines(refused));
        } else if (report instanceof SyncLauncher.Busy busy) {
            lines.addAll(RefusalText.lines(busy));
        } else if (report instanceof SyncLauncher.StockUnchanged unchanged) {
            lines.add("ShipEdge's stock is unchanged since execution " + unchanged.executionId() + " ("
                    + unchanged.endedAt() + "): nothing to sync");
        } else if (report instanceof SyncLauncher.RestartChoice choice) {
            lines.addAll(RestartChoiceText.lines(choice));
        }
        return lines;
    }
}
