package com.inventorysync.ops;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The latest sync executions as an operator reads them: state, counts per outcome, restartable or not. */
@Component
public class SyncStatus {
    private final JdbcTemplate jdbc;
    private final JobRunLock runLock;
    private final HeldUpdates heldUpdates;

    public SyncStatus(JdbcTemplate jdbc, JobRunLock runLock, HeldUpdates heldUpdates) {
        this.jdbc = jdbc;
        this.runLock = runLock;
        this.heldUpdates = heldUpdates;
    }

    public List<String> lines(int last) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-9s %-20s %-9s %-17s %-19s %9s %9s %9s %9s %9s %9s %9s  %s",
                "execution", "job", "status", "exit", "started", "read", "rejected", "planned", "applied", "oms-rej", "unknown",
                "held", "restartable"));
        List<String> heldLines = new ArrayList<>();
        jdbc.query("""
                select e.job_execution_id, e.job_instance_id, e.status, e.exit_code, e.start_time,
                       (select p.parameter_value from batch_job_execution_params p
                        where p.job_execution_id = e.job_execution_id and p.parameter_name = 'definition') as job_name,
                       s.rows_read, s.rows_rejected, s.planned, s.applied, s.rejected_by_oms, s.unknown_outcome, s.held,
                       (select max(l.job_execution_id) from batch_job_execution l where l.job_instance_id = e.job_instance_id) as last_of_run
                from batch_job_execution e
                join batch_job_instance i on i.job_instance_id = e.job_instance_id
                left join sync_run_summary s on s.job_execution_id = e.job_execution_id
                where i.job_name = 'sync'
                order by e.job_execution_id desc""", rs -> {
                    if (lines.size() > last) {
                        return;
                    }
                    long id = rs.getLong("job_execution_id");
                    String status = rs.getString("status");
                    String exit = rs.getString("exit_code");
                    boolean lastOfRun = rs.getLong("last_of_run") == id;
                    String restartable = !lastOfRun ? "no (restarted as " + rs.getLong("last_of_run") + ")"
                            : ("FAILED".equals(status) || "STOPPED".equals(status))
                            ? ("BAD_INPUT".equals(exit) ? "no (fix the input)" : "REFUSED_BY_GUARD".equals(exit) ? "no (sync --force)" : "yes")
                            : "STARTED".equals(status) || "STARTING".equals(status) || "STOPPING".equals(status)
                            ? (rs.getString("job_name") != null && runLock.isHeld(rs.getString("job_name")) ? "no (running now)"
                                    : "yes (its process is gone: restart --last-failed recovers it)")
                            : "no";
                    Timestamp started = rs.getTimestamp("start_time");
                    long unknown = rs.getLong("unknown_outcome");
                    if (rs.getLong("held") > 0 && lastOfRun) {
                        heldUpdates.ofRun(rs.getLong("job_instance_id"))
                                .forEach(h -> heldLines.add("  execution " + id + " held " + h.line()));
                    }
                    lines.add(String.format(Locale.ROOT, "%-9d %-20s %-9s %-17s %-19s %9d %9d %9d %9d %9d %9d %9d  %s",
                            id, rs.getString("job_name") == null ? "?" : rs.getString("job_name"), status, exit,
                            started == null ? "" : started.toLocalDateTime().withNano(0).toString().replace('T', ' '),
                            rs.getLong("rows_read"), rs.getLong("rows_rejected"), rs.getLong("planned"), rs.getLong("applied"),
                            rs.getLong("rejected_by_oms"), unknown, rs.getLong("held"), restartable));
                });
        if (!heldLines.isEmpty()) {
            lines.add("unresolved (held) updates: nothing was re-sent for them; settle each by hand, then the next run sends the key as Absolute");
            lines.addAll(heldLines);
        }
        if (lines.size() == 1) {
            lines.add("no sync has run yet");
        }
        return lines;
    }
}
