package com.inventorysync.cli;

import com.inventorysync.ops.RunCounts;
import com.inventorysync.ops.SyncStatus;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The table {@code status} prints: one line per execution, then the held updates of each. A running,
 * stopped or failed execution shows its step in the status column ({@code STARTED (send)}), which
 * widens to fit it; {@code -} stands for a count that is not known.
 */
final class StatusText {
    private static final int STATUS_WIDTH = 9;
    /** Seconds always: {@code LocalDateTime.toString()} leaves out ":00". */
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private StatusText() {}

    static List<String> lines(List<SyncStatus.Execution> executions) {
        int statusWidth = Math.max(
                STATUS_WIDTH,
                executions.stream().mapToInt(e -> status(e).length()).max().orElse(0));
        String row = "%-9s %-20s %-" + statusWidth + "s %-17s %-19s %9s %9s %9s %9s %9s %9s %9s  %s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                row,
                "execution",
                "job",
                "status",
                "exit",
                "started",
                "read",
                "rejected",
                "planned",
                "applied",
                "oms-rej",
                "unknown",
                "held",
                "restartable"));
        List<String> heldLines = new ArrayList<>();
        for (SyncStatus.Execution e : executions) {
            RunCounts c = e.counts();
            lines.add(String.format(
                    Locale.ROOT,
                    row,
                    e.executionId(),
                    e.jobName() == null ? "?" : e.jobName(),
                    status(e),
                    e.exitCode(),
                    e.startedAt() == null ? "" : STARTED.format(e.startedAt()),
                    count(c, RunCounts::read),
                    count(c, RunCounts::rejected),
                    count(c, RunCounts::planned),
                    count(c, RunCounts::applied),
                    count(c, RunCounts::rejectedByOms),
                    count(c, RunCounts::unknown),
                    count(c, RunCounts::held),
                    restartable(e)));
            e.held().forEach(h -> heldLines.add("  execution " + e.executionId() + " held " + h.line()));
        }
        if (!heldLines.isEmpty()) {
            lines.add(
                    "unresolved (held) updates: nothing was re-sent for them; settle each by hand, then the next run sends the key as Absolute");
            lines.addAll(heldLines);
        }
        if (executions.isEmpty()) {
            lines.add("no sync has run yet");
        }
        return lines;
    }

    private static String status(SyncStatus.Execution e) {
        return e.step() == null ? e.status().name() : e.status() + " (" + e.step() + ")";
    }

    private static String count(RunCounts counts, ToLongFunction<RunCounts> count) {
        return counts == null ? "-" : Long.toString(count.applyAsLong(counts));
    }

    /** Whether the execution can be restarted, and why (not), as the table and the JSON say it. */
    static String restartable(SyncStatus.Execution e) {
        String reason = restartReason(e);
        return (restartable(e.restartable()) ? "yes" : "no") + (reason == null ? "" : " (" + reason + ")");
    }

    static boolean restartable(SyncStatus.Restartability r) {
        return r == SyncStatus.Restartability.YES || r == SyncStatus.Restartability.PROCESS_GONE;
    }

    /** Why an execution can or cannot be restarted, where that is not plain; null otherwise. */
    static String restartReason(SyncStatus.Execution e) {
        return switch (e.restartable()) {
            case YES, NO -> null;
            case PROCESS_GONE -> "its process is gone: restart --last-failed recovers it";
            case FIX_INPUT -> "fix the input";
            case FORCE -> "sync --force";
            case RUNNING_NOW -> "running now";
            case RESTARTED -> "restarted as " + e.restartedAs();
        };
    }
}
