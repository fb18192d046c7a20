package com.inventorysync.cli;

import com.inventorysync.ops.RunCounts;
import com.inventorysync.ops.SyncStatus;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code status --format json}: the executions and, per job, when its last run completed, for
 * monitors and scripts. The records below are the document's shape: a field renamed here is a
 * change every consumer sees. Times are ISO-8601 with the machine's offset.
 */
final class StatusJson {
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    record Document(List<Execution> executions, List<Job> jobs) {}

    /**
     * @param step   the step it is in, or stopped or failed in; null when it completed
     * @param counts null when not known (a killed execution that a later one of its run continued)
     * @param reason why it can or cannot be restarted, where that is not plain; null otherwise
     */
    record Execution(
            long id,
            long run,
            String job,
            String status,
            String exitCode,
            String step,
            String startedAt,
            String endedAt,
            Counts counts,
            boolean restartable,
            String reason) {}

    /** The run's rows ({@code read = staged + rejected}) and its Omni updates by outcome. */
    record Counts(
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
            long skipped) {}

    record Job(String job, String lastCompleted) {}

    private StatusJson() {}

    static String of(List<SyncStatus.Execution> executions, List<SyncStatus.Job> jobs) {
        return JSON.writeValueAsString(new Document(
                executions.stream().map(StatusJson::execution).toList(),
                jobs.stream()
                        .map(j -> new Job(j.name(), iso(j.lastCompleted())))
                        .toList()));
    }

    private static Execution execution(SyncStatus.Execution e) {
        RunCounts c = e.counts();
        return new Execution(
                e.executionId(),
                e.runId(),
                e.jobName(),
                e.status().name(),
                e.exitCode(),
                e.step(),
                iso(e.startedAt()),
                iso(e.endedAt()),
                c == null
                        ? null
                        : new Counts(
                                c.read(),
                                c.staged(),
                                c.rejected(),
                                c.planned(),
                                c.applied(),
                                c.rejectedByOms(),
                                c.unknown(),
                                c.inFlight(),
                                c.held(),
                                c.pending(),
                                c.skipped()),
                StatusText.restartable(e.restartable()),
                StatusText.restartReason(e));
    }

    private static String iso(LocalDateTime time) {
        return time == null
                ? null
                : time.atZone(ZoneId.systemDefault()).toOffsetDateTime().toString();
    }
}
