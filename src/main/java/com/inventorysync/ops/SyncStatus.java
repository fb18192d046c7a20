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

    public SyncStatus(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<String> lines(int last) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-9s %-12s %-9s %-17s %-19s %9s %9s %9s %9s %9s %9s  %s",
                "execution", "job", "status", "exit", "started", "read", "rejected", "planned", "applied", "oms-rej", "unknown",
                "restartable"));
        jdbc.query("""
                select e.job_execution_id, e.job_instance_id, e.status, e.exit_code, e.start_time,
                       s.job_name, s.rows_read, s.rows_rejected, s.planned, s.applied, s.rejected_by_oms, s.unknown_outcome, s.held,
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
                            : "STARTED".equals(status) || "STARTING".equals(status) ? "running?" : "no";
                    Timestamp started = rs.getTimestamp("start_time");
                    long unknown = rs.getLong("unknown_outcome") + rs.getLong("held");
                    lines.add(String.format(Locale.ROOT, "%-9d %-12s %-9s %-17s %-19s %9d %9d %9d %9d %9d %9d  %s",
                            id, rs.getString("job_name") == null ? "?" : rs.getString("job_name"), status, exit,
                            started == null ? "" : started.toLocalDateTime().withNano(0).toString().replace('T', ' '),
                            rs.getLong("rows_read"), rs.getLong("rows_rejected"), rs.getLong("planned"), rs.getLong("applied"),
                            rs.getLong("rejected_by_oms"), unknown, restartable));
                });
        if (lines.size() == 1) {
            lines.add("no sync has run yet");
        }
        return lines;
    }
}
