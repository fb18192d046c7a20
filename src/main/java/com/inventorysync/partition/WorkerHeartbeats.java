package com.inventorysync.partition;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Remote workers' word that they are alive ({@code partition_worker}): a row per partition a
 * worker runs, its time renewed every heartbeat interval. Times are the database's, so that the
 * clocks of the manager's and the workers' machines need not agree.
 */
public class WorkerHeartbeats {
    private final JdbcTemplate jdbc;

    public WorkerHeartbeats(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Before the worker starts the partition's step. */
    public void begin(long stepExecutionId, String worker) {
        jdbc.update("delete from partition_worker where step_execution_id = ?", stepExecutionId);
        jdbc.update(
                "insert into partition_worker (step_execution_id, worker, started_at, heartbeat_at)"
                        + " values (?, ?, localtimestamp, localtimestamp)",
                stepExecutionId,
                worker);
    }

    public void beat(long stepExecutionId) {
        jdbc.update(
                "update partition_worker set heartbeat_at = localtimestamp where step_execution_id = ?",
                stepExecutionId);
    }

    /** A partition running on a worker: which worker, and since when it last said it was alive. */
    public record Running(long stepExecutionId, String stepName, String worker, Duration silentFor) {}

    /** The partitions of a job execution that a worker runs (STARTED), with their workers' silence. */
    public List<Running> running(long jobExecutionId) {
        LocalDateTime now = jdbc.queryForObject("select localtimestamp", LocalDateTime.class);
        return jdbc.query(
                "select s.step_execution_id, s.step_name, w.worker, coalesce(w.heartbeat_at, s.last_updated)"
                        + " from batch_step_execution s"
                        + " left join partition_worker w on w.step_execution_id = s.step_execution_id"
                        + " where s.job_execution_id = ? and s.status = 'STARTED' and s.step_name like '%:%'",
                (rs, i) -> {
                    Timestamp last = rs.getTimestamp(4);
                    Duration silent = last == null ? Duration.ZERO : Duration.between(last.toLocalDateTime(), now);
                    if (silent.isNegative()) {
                        silent = Duration.ZERO;
                    }
                    return new Running(rs.getLong(1), rs.getString(2), rs.getString(3), silent);
                },
                jobExecutionId);
    }
}
