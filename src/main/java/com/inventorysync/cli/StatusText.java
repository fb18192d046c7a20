package com.inventorysync.cli;

import com.inventorysync.ops.RunSummary;
import com.inventorysync.ops.SyncStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table {@code status} prints: one line per execution, then the held updates of each. */
final class StatusText {
    private static final String ROW = "%-9s %-20s %-9s %-17s %-19s %9s %9s %9s %9s %9s %9s %9s  %s";

    private StatusText() {
    }

    static List<String> lines(List<SyncStatus.Execution> executions) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, ROW, "execution", "job", "status", "exit", "started", "read", "rejected", "planned", "applied",
                "oms-rej", "unknown", "held", "restartable"));
        List<String> heldLines = new ArrayList<>();
        for (SyncStatus.Execution e : executions) {
            RunSummary s = e.summary();
            lines.add(String.format(Locale.ROOT, ROW, e.executionId(), e.jobName() == null ? "?" : e.jobName(), e.status(), e.exitCode(),
                    e.startedAt() == null ? "" : e.startedAt().withNano(0).toString().replace('T', ' '),
                    s == null ? 0 : s.read(), s == null ? 0 : s.rejectedRows(), s == null ? 0 : s.planned(), s == null ? 0 : s.applied(),
                    s == null ? 0 : s.rejectedByOms(), s == null ? 0 : s.unknown(), s == null ? 0 : s.held(), restartable(e)));
            e.held().forEach(h -> heldLines.add("  execution " + e.executionId() + " held " + h.line()));
        }
        if (!heldLines.isEmpty()) {
            lines.add("unresolved (held) updates: nothing was re-sent for them; settle each by hand, then the next run sends the key as Absolute");
            lines.addAll(heldLines);
        }
        if (executions.isEmpty()) {
            lines.add("no sync has run yet");
        }
        return lines;
    }

    private static String restartable(SyncStatus.Execution e) {
        return switch (e.restartable()) {
            case YES -> "yes";
            case PROCESS_GONE -> "yes (its process is gone: restart --last-failed recovers it)";
            case NO -> "no";
            case FIX_INPUT -> "no (fix the input)";
            case FORCE -> "no (sync --force)";
            case RUNNING_NOW -> "no (running now)";
            case RESTARTED -> "no (restarted as " + e.restartedAs() + ")";
        };
    }
}
