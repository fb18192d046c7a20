package com.inventorysync.cli;

import com.inventorysync.job.ReconcileLauncher;
import com.inventorysync.reconcile.DiscrepancyClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.batch.core.BatchStatus;

/** What a reconciliation found, or why it failed or did not run. */
public final class ReconcileRunText {

    private ReconcileRunText() {}

    public static List<String> lines(ReconcileLauncher.Result result) {
        List<String> lines = new ArrayList<>();
        ReconcileLauncher.Findings findings = result.findings();
        if (findings == null && (result.status() == null || result.status() == BatchStatus.COMPLETED)) {
            lines.add((result.jobName() == null ? "reconcile: " : "reconcile " + result.jobName() + ": ")
                    + result.problem());
            return lines;
        }
        if (findings == null) {
            lines.add("reconcile " + result.jobName() + ": execution " + result.executionId() + " " + result.status());
            if (result.problem() != null) {
                lines.add("  cause: " + result.problem());
            }
            lines.add("  a reconciliation changes nothing in the OMS: run it again once the cause is fixed");
            return lines;
        }
        lines.add(String.format(
                Locale.ROOT,
                "reconcile %s: execution %d completed in %.1f s",
                result.jobName(),
                result.executionId(),
                findings.took().toMillis() / 1000.0));
        lines.add(String.format(
                Locale.ROOT,
                "  %d discrepancies above tolerance %d: %s alert threshold %d",
                findings.total(),
                findings.tolerance(),
                findings.overThreshold() ? "OVER the" : "within the",
                findings.alertThreshold()));
        for (DiscrepancyClass c : DiscrepancyClass.values()) {
            if (findings.counts().getOrDefault(c, 0L) > 0) {
                lines.add(String.format(
                        Locale.ROOT,
                        "    %-26s %6d  (%d units, %s)",
                        c.label(),
                        findings.counts().get(c),
                        findings.units().getOrDefault(c, 0L),
                        c.impact().label()));
            }
        }
        if (!findings.unknownMembers().isEmpty()) {
            lines.add("  pool members that are not active OMS locations (counted as 0): " + findings.unknownMembers());
        }
        lines.add("  reports: " + findings.htmlReport() + " and " + findings.csvReport());
        return lines;
    }
}
