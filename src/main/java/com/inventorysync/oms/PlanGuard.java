package com.inventorysync.oms;

import com.inventorysync.jobdef.JobDefinition.Guard;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Refuses a plan that would change more than a set share of the positions last synced, or set
 * more than a set share of them to zero: the signature of a truncated or wrong export. A first
 * run (nothing synced yet) is not guarded.
 */
public class PlanGuard {
    private final JdbcTemplate jdbc;

    public PlanGuard(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The plan's shares of the positions last synced. */
    public record Verdict(long synced, long changed, long zeroed, String refusal) {
        public double changedShare() {
            return synced == 0 ? 0 : (double) changed / synced;
        }

        public double zeroedShare() {
            return synced == 0 ? 0 : (double) zeroed / synced;
        }

        public boolean refused() {
            return refusal != null;
        }
    }

    public Verdict check(long runId, String target, Guard limits) {
        long synced = count("select count(*) from synced_position where target = ?", target);
        long changed = count(
                "select count(*) from planned_update where run_id = ? and target = ? and previous_count is not null",
                runId,
                target);
        long zeroed = count(
                "select count(*) from planned_update where run_id = ? and target = ? and new_count = 0 "
                        + "and previous_count is not null and previous_count <> 0",
                runId,
                target);
        String refusal = null;
        if (synced > 0) {
            double changedShare = (double) changed / synced;
            double zeroedShare = (double) zeroed / synced;
            if (changedShare > limits.maxChangedShare()) {
                refusal = String.format(
                        Locale.ROOT,
                        "the plan changes %,d of the %,d positions last synced (%.1f%%), more than guard.max-changed-share %.1f%%",
                        changed,
                        synced,
                        100 * changedShare,
                        100 * limits.maxChangedShare());
            } else if (zeroedShare > limits.maxZeroedShare()) {
                refusal = String.format(
                        Locale.ROOT,
                        "the plan sets %,d of the %,d positions last synced to zero (%.1f%%), more than guard.max-zeroed-share %.1f%%",
                        zeroed,
                        synced,
                        100 * zeroedShare,
                        100 * limits.maxZeroedShare());
            }
        }
        return new Verdict(synced, changed, zeroed, refusal);
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }
}
