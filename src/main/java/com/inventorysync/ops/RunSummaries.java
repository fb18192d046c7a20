package com.inventorysync.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;

/** Computes, stores ({@code sync_run_summary}) and reads the summaries of sync executions. */
public class RunSummaries {
    private final JdbcTemplate jdbc;

    public RunSummaries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts a run's rows and updates as they stand now, for this execution. */
    public RunSummary compute(
            JobExecution execution,
            String jobName,
            String snapshotFile,
            String exitCode,
            String message,
            Path outputDir) {
        long runId = execution.getJobInstanceId();
        RunCounts counts = countsOf(runId);
        long plannedFromSnapshot = count(
                "select count(*) from planned_update where run_id = ? and target = 'omni' and change_kind <> 'MISSING'",
                runId);
        Map<String, Long> steps = stepMillis(execution);
        boolean planRan = steps.containsKey("plan") || counts.planned() > 0;
        LocalDateTime start = execution.getStartTime() != null ? execution.getStartTime() : execution.getCreateTime();
        LocalDateTime end = execution.getEndTime() != null ? execution.getEndTime() : LocalDateTime.now();
        long ingestMs = steps.getOrDefault("ingest", 0L)
                + steps.getOrDefault("finish-ingest", 0L)
                + steps.getOrDefault("plan", 0L);
        long sendMs = steps.getOrDefault("send", 0L);
        long sent = count(
                "select count(*) from planned_update where run_id = ? and target = 'omni' and state in ('APPLIED', 'REJECTED') "
                        + "and updated_at >= ?",
                runId,
                Timestamp.valueOf(start));
        return new RunSummary(
                execution.getId(),
                runId,
                jobName,
                snapshotFile,
                execution.getStatus().name(),
                exitCode,
                counts.read(),
                counts.staged(),
                counts.rejected(),
                counts.planned(),
                counts.applied(),
                counts.rejectedByOms(),
                planRan ? Math.max(0, counts.staged() - plannedFromSnapshot) : 0,
                counts.unknown() + counts.inFlight(),
                counts.held(),
                counts.pending(),
                counts.skipped(),
                start,
                end,
                Duration.between(start, end).toMillis(),
                ingestMs == 0 ? 0 : counts.read() * 1000.0 / ingestMs,
                sendMs == 0 ? 0 : sent * 1000.0 / sendMs,
                message,
                outputDir == null ? null : outputDir.toString());
    }

    /**
     * A run's rows and Omni updates as they stand now: what a run still going has done so far, or
     * what a stopped or failed one reached. Rows are counted from {@code snapshot_row}, which a
     * completed run empties: for a completed run, read its summary instead.
     */
    public RunCounts countsOf(long runId) {
        long staged = count("select count(*) from snapshot_row where run_id = ?", runId);
        long rejectedRows = count("select count(*) from rejected_row where run_id = ?", runId);
        Map<String, Long> states = new HashMap<>();
        jdbc.query(
                "select state, count(*) from planned_update where run_id = ? and target = 'omni' group by state",
                rs -> {
                    states.put(rs.getString(1), rs.getLong(2));
                },
                runId);
        long planned = states.values().stream().mapToLong(Long::longValue).sum();
        return new RunCounts(
                staged + rejectedRows,
                staged,
                rejectedRows,
                planned,
                states.getOrDefault("APPLIED", 0L),
                states.getOrDefault("REJECTED", 0L),
                states.getOrDefault("UNKNOWN", 0L),
                states.getOrDefault("IN_FLIGHT", 0L),
                states.getOrDefault("HELD", 0L),
                states.getOrDefault("PENDING", 0L),
                states.getOrDefault("SKIPPED", 0L));
    }

    /** The end of the last completed run of each job that has a summary; null for a job none of whose runs completed. */
    public Map<String, LocalDateTime> lastCompletedByJob() {
        Map<String, LocalDateTime> last = new TreeMap<>();
        jdbc.query(
                "select job_name, max(case when status = 'COMPLETED' then ended_at end) from sync_run_summary group by job_name",
                rs -> {
                    last.put(rs.getString(1), toLocal(rs.getTimestamp(2)));
                });
        return last;
    }

    public void save(RunSummary s) {
        jdbc.update("delete from sync_run_summary where job_execution_id = ?", s.executionId());
        jdbc.update(
                """
                insert into sync_run_summary (job_execution_id, run_id, job_name, snapshot_file, status, exit_code, rows_read,
                  rows_staged, rows_rejected, planned, applied, rejected_by_oms, unchanged, unknown_outcome, held, pending,
                  skipped_mastership, started_at, ended_at, duration_ms, ingest_rows_per_second, sends_per_second, message, output_dir)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                s.executionId(),
                s.runId(),
                s.jobName(),
                s.snapshotFile(),
                s.status(),
                s.exitCode(),
                s.read(),
                s.staged(),
                s.rejectedRows(),
                s.planned(),
                s.applied(),
                s.rejectedByOms(),
                s.unchanged(),
                s.unknown(),
                s.held(),
                s.pending(),
                s.skippedByMastership(),
                Timestamp.valueOf(s.startedAt()),
                Timestamp.valueOf(s.endedAt()),
                s.durationMs(),
                s.ingestRowsPerSecond(),
                s.sendsPerSecond(),
                s.message() == null
                        ? null
                        : s.message().length() > 4000 ? s.message().substring(0, 4000) : s.message(),
                s.outputDir());
    }

    public void writeFile(RunSummary s, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, s.toText(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write the summary " + file + ": " + e.getMessage(), e);
        }
    }

    public Optional<RunSummary> find(long executionId) {
        return jdbc
                .query(
                        "select * from sync_run_summary where job_execution_id = ?",
                        (rs, i) -> new RunSummary(
                                rs.getLong("job_execution_id"),
                                rs.getLong("run_id"),
                                rs.getString("job_name"),
                                rs.getString("snapshot_file"),
                                rs.getString("status"),
                                rs.getString("exit_code"),
                                rs.getLong("rows_read"),
                                rs.getLong("rows_staged"),
                                rs.getLong("rows_rejected"),
                                rs.getLong("planned"),
                                rs.getLong("applied"),
                                rs.getLong("rejected_by_oms"),
                                rs.getLong("unchanged"),
                                rs.getLong("unknown_outcome"),
                                rs.getLong("held"),
                                rs.getLong("pending"),
                                rs.getLong("skipped_mastership"),
                                toLocal(rs.getTimestamp("started_at")),
                                toLocal(rs.getTimestamp("ended_at")),
                                rs.getLong("duration_ms"),
                                rs.getDouble("ingest_rows_per_second"),
                                rs.getDouble("sends_per_second"),
                                rs.getString("message"),
                                rs.getString("output_dir")),
                        executionId)
                .stream()
                .findFirst();
    }

    private static LocalDateTime toLocal(Timestamp t) {
        return t == null ? null : t.toLocalDateTime();
    }

    /** Milliseconds each step of the execution took so far (a step still running counts until now). */
    private static Map<String, Long> stepMillis(JobExecution execution) {
        Map<String, Long> millis = new HashMap<>();
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStartTime() != null) {
                LocalDateTime end = step.getEndTime() != null ? step.getEndTime() : LocalDateTime.now();
                millis.merge(
                        step.getStepName(),
                        Duration.between(step.getStartTime(), end).toMillis(),
                        Long::sum);
            }
        }
        return millis;
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }
}
