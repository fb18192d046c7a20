package com.inventorysync.ops;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Locale;

/**
 * What one execution of a sync did. {@code read = staged + rejectedRows} always;
 * {@code unchanged} are staged keys whose count equals the last synced one.
 */
public record RunSummary(
        long executionId,
        long runId,
        String jobName,
        String snapshotFile,
        String status,
        String exitCode,
        long read,
        long staged,
        long rejectedRows,
        long planned,
        long applied,
        long rejectedByOms,
        long unchanged,
        long unknown,
        long held,
        long pending,
        long skippedByMastership,
        LocalDateTime startedAt,
        LocalDateTime endedAt,
        long durationMs,
        double ingestRowsPerSecond,
        double sendsPerSecond,
        String message,
        String outputDir) {

    /** A few human lines. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "execution %d (run %d) of job '%s': %s%s%n",
                executionId,
                runId,
                jobName,
                status,
                exitCode == null || exitCode.equals(status) ? "" : " (" + exitCode + ")"));
        s.append(String.format(Locale.ROOT, "  snapshot: %s%n", snapshotFile));
        s.append(String.format(
                Locale.ROOT,
                "  rows: %,d read = %,d staged + %,d rejected; %,d unchanged%n",
                read,
                staged,
                rejectedRows,
                unchanged));
        s.append(String.format(
                Locale.ROOT,
                "  updates: %,d planned, %,d applied, %,d rejected by the OMS, %,d unknown, %,d held, %,d pending",
                planned,
                applied,
                rejectedByOms,
                unknown,
                held,
                pending));
        if (skippedByMastership > 0) {
            s.append(String.format(Locale.ROOT, ", %,d skipped (mastered by NewStore)", skippedByMastership));
        }
        s.append(System.lineSeparator());
        s.append(String.format(
                Locale.ROOT,
                "  took %s; ingest+plan %,.0f rows/s; send %,.1f updates/s%n",
                format(Duration.ofMillis(durationMs)),
                ingestRowsPerSecond,
                sendsPerSecond));
        if (message != null && !message.isBlank()) {
            s.append("  ").append(message).append(System.lineSeparator());
        }
        return s.toString();
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        return ms < 60_000
                ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0)
                : String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }
}
