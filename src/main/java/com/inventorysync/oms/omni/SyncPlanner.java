package com.inventorysync.oms.omni;

import com.inventorysync.jobdef.JobDefinition.MissingKeyPolicy;
import com.inventorysync.ops.DatabaseKind;
import com.inventorysync.partition.LocationPartitions;
import com.inventorysync.partition.Partition;
import java.util.OptionalInt;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Compares a run's staged snapshot with the last-synced positions of a target and writes the
 * planned updates, in SQL: a new key is set ({@code Absolute}) whatever the policy, so a
 * {@code Delta} always has a baseline the product set itself; a changed key gets its location's
 * policy ({@code DELTA}: new - last, {@code ABSOLUTE}: new); a key missing from the snapshot is
 * kept or set to zero per the missing policy (not when the snapshot had it on a rejected row);
 * an unchanged key gets nothing. Idempotent: planning a run again replaces its plan.
 *
 * <p>A partitioned plan compares once for every partition ({@link #compareForPartitions}, keeping
 * the changes in {@code plan_change} with the partition of their location, {@link LocationPartitions}),
 * then runs {@link #plan(long, Partition)} once per partition, each writing its
 * share into {@code planned_update}. One comparison reads the staging table once: a comparison per
 * partition read all of it in each.
 */
public class SyncPlanner {
    public static final String OMNI = "omni";

    private final JdbcTemplate jdbc;

    public SyncPlanner(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * On PostgreSQL: fresh statistics after the bulk load, and memory enough to hash a million keys,
     * so that the comparison runs as hash joins instead of index lookups or sorts spilled to disk.
     * Must run in the transaction of the statements it tunes.
     */
    private void analyzeOnPostgres() {
        if (DatabaseKind.isPostgres(jdbc)) {
            // Row counts are all the join needs: a 3,000-row sample gives them, the default 30,000 reads most of the
            // table.
            jdbc.execute("set local default_statistics_target = 10");
            jdbc.execute("analyze snapshot_row");
            jdbc.execute("analyze synced_position");
            jdbc.execute("analyze sync_run_location");
            tuneOnPostgres();
        }
    }

    private void tuneOnPostgres() {
        if (DatabaseKind.isPostgres(jdbc)) {
            jdbc.execute("set local work_mem = '64MB'");
            // The planner cannot tell how few rows pass "changed", so for the ordered insert it would
            // rather sort both million-row inputs for a merge join than sort the few that changed.
            jdbc.execute("set local enable_mergejoin = off");
            // Compiling the expressions (about 0.2 s) costs more than it saves in a one-off statement.
            jdbc.execute("set local jit = off");
            // The comparison reads every staged row and every last-synced position: worth the parallel workers
            // that the planner, counting their start-up, would rather not use.
            jdbc.execute("set local parallel_setup_cost = 0");
            jdbc.execute("set local parallel_tuple_cost = 0");
        }
    }

    public record Plan(long planned, long newKeys, long changed, long zeroedMissing) {}

    /** What each new or changed key gets: sku, location, change_kind, quantity_type, quantity, new_count, previous_count. */
    private static final String CHANGED_COLUMNS = """
            s.sku, s.location,
            case when p.quantity is null then 'NEW' else 'CHANGED' end as change_kind,
            case when p.quantity is null or l.policy = 'ABSOLUTE' then 'Absolute' else 'Delta' end as quantity_type,
            case when p.quantity is null or l.policy = 'ABSOLUTE' then s.on_hand else s.on_hand - p.quantity end as quantity,
            s.on_hand as new_count, p.quantity as previous_count""";

    /** The staged rows of a run that are new or changed against the last-synced positions. */
    private static String changedRows(long runId) {
        return """
                from snapshot_row s
                join sync_run_location l on l.run_id = s.run_id and l.location = s.location
                left join synced_position p on p.target = '%1$s' and p.sku = s.sku and p.location = s.location
                where s.run_id = %2$d and (p.quantity is null or p.quantity <> s.on_hand)""".formatted(OMNI, runId);
    }

    /**
     * On PostgreSQL the comparison is a {@code CREATE TABLE AS}, which may use parallel workers where an
     * {@code INSERT ... SELECT} may not, into a scratch table of this transaction (unlogged: a crash rolls
     * its creation back with the rest); only the changed keys are then inserted, by {@code insertFrom}
     * given the scratch table's name.
     */
    private int compareInParallel(long runId, Function<String, String> insertFrom) {
        // Created and dropped in the plan's transaction: no attempt, finished or not, leaves it behind.
        String scratch = "plan_changes_" + runId;
        jdbc.execute("""
                create unlogged table %1$s (sku, location, change_kind, quantity_type, quantity, new_count,
                                            previous_count) as
                select %2$s
                %3$s""".formatted(scratch, CHANGED_COLUMNS, changedRows(runId)));
        int inserted = jdbc.update(insertFrom.apply(scratch));
        jdbc.execute("drop table " + scratch);
        return inserted;
    }

    /** The last-synced keys a run's snapshot lacks, that the missing policy {@code ZERO} sets to zero. */
    private static String missingRows() {
        return """
                select l.run_id, p.target, p.sku, p.location, 'MISSING' as change_kind,
                       case when l.policy = 'ABSOLUTE' then 'Absolute' else 'Delta' end as quantity_type,
                       case when l.policy = 'ABSOLUTE' then 0 else 0 - p.quantity end as quantity,
                       0 as new_count, p.quantity as previous_count
                from synced_position p
                join sync_run_location l on l.run_id = ? and l.location = p.location
                where p.target = ? and p.quantity <> 0
                  and not exists (select 1 from snapshot_row s where s.run_id = l.run_id and s.sku = p.sku and s.location = p.location)
                  and not exists (select 1 from rejected_row r where r.run_id = l.run_id and r.sku = p.sku and r.location = p.location)""";
    }

    private static final String PLANNED_COLUMNS = """
            run_id, target, sku, location, change_kind, quantity_type, quantity, new_count, previous_count,
            state, attempts, updated_at, partition_no""";

    /** The whole plan, in one transaction. */
    public Plan plan(long runId, MissingKeyPolicy missing) {
        analyzeOnPostgres();
        jdbc.update("delete from planned_update where run_id = ? and target = ?", runId, OMNI);
        String ordered = """
                insert into planned_update (%1$s)
                select %2$d, '%3$s', sku, location, change_kind, quantity_type, quantity, new_count, previous_count,
                       'PENDING', 0, current_timestamp, 0
                from %4$s order by location, sku""";
        int fromSnapshot = DatabaseKind.isPostgres(jdbc)
                ? compareInParallel(runId, scratch -> ordered.formatted(PLANNED_COLUMNS, runId, OMNI, scratch))
                : jdbc.update(ordered.formatted(
                        PLANNED_COLUMNS,
                        runId,
                        OMNI,
                        "(select %s %s) c".formatted(CHANGED_COLUMNS, changedRows(runId))));
        int zeroed = missing != MissingKeyPolicy.ZERO
                ? 0
                : jdbc.update("""
                        insert into planned_update (%1$s)
                        select run_id, target, sku, location, change_kind, quantity_type, quantity, new_count, previous_count,
                               'PENDING', 0, current_timestamp, 0
                        from (%2$s) m order by location, sku""".formatted(PLANNED_COLUMNS, missingRows()), runId, OMNI);
        Long newKeys = jdbc.queryForObject(
                "select count(*) from planned_update where run_id = ? and target = ? and change_kind = 'NEW'",
                Long.class,
                runId,
                OMNI);
        long n = newKeys == null ? 0 : newKeys;
        return new Plan(fromSnapshot + zeroed, n, fromSnapshot - n, zeroed);
    }

    /**
     * Before the partitions of a partitioned plan, once, in one transaction: fresh statistics, the
     * changes of every partition computed in one comparison and kept in {@code plan_change}, then the
     * run's locations spread over the partitions by their number of changes. A restart of the plan
     * finds both done and keeps them, whatever the grid size says now: the partitions that completed
     * wrote their shares of that comparison and that assignment, and the others must write theirs of
     * the same, or a key could be planned in two partitions (a Delta sent twice) or in none.
     *
     * @return how many partitions the run has
     */
    public int compareForPartitions(long runId, MissingKeyPolicy missing, int gridSize) {
        LocationPartitions locations = new LocationPartitions(jdbc);
        OptionalInt assigned = locations.assigned(runId);
        if (assigned.isPresent()) {
            return assigned.getAsInt();
        }
        analyzeOnPostgres();
        jdbc.update("delete from plan_change where run_id = ? and target = ?", runId, OMNI);
        String columns =
                "run_id, target, sku, location, change_kind, quantity_type, quantity, new_count, previous_count";
        if (DatabaseKind.isPostgres(jdbc)) {
            compareInParallel(
                    runId,
                    scratch -> "insert into plan_change (%1$s) select %2$d, '%3$s', * from %4$s"
                            .formatted(columns, runId, OMNI, scratch));
        } else {
            jdbc.update("insert into plan_change (%1$s) select s.run_id, '%2$s', %3$s %4$s"
                    .formatted(columns, OMNI, CHANGED_COLUMNS, changedRows(runId)));
        }
        if (missing == MissingKeyPolicy.ZERO) {
            jdbc.update(
                    "insert into plan_change (" + columns + ") select " + columns + " from (" + missingRows() + ") m",
                    runId,
                    OMNI);
        }
        return locations.assign(runId, OMNI, gridSize);
    }

    /**
     * One partition's share of the plan, replacing what an earlier attempt at it planned: its changes
     * as {@link #compareForPartitions} found them.
     */
    public Plan plan(long runId, Partition partition) {
        LocationPartitions locations = new LocationPartitions(jdbc);
        jdbc.update(
                "delete from planned_update where run_id = ? and target = ? and partition_no = ?",
                runId,
                OMNI,
                partition.index());
        String share = """
                from plan_change c join sync_run_location l on l.run_id = c.run_id and l.location = c.location
                where c.run_id = ? and c.target = ? and """ + locations.rowsOf("l", "c.sku", partition);
        int planned = jdbc.update("""
                insert into planned_update (%s)
                select c.run_id, c.target, c.sku, c.location, c.change_kind, c.quantity_type, c.quantity, c.new_count,
                       c.previous_count, 'PENDING', 0, current_timestamp, %d
                %s
                order by c.location, c.sku""".formatted(PLANNED_COLUMNS, partition.index(), share), runId, OMNI);
        long[] kinds = new long[2];
        jdbc.query(
                "select c.change_kind, count(*) " + share
                        + " and c.change_kind in ('NEW', 'MISSING') group by c.change_kind",
                rs -> {
                    kinds[rs.getString(1).equals("NEW") ? 0 : 1] = rs.getLong(2);
                },
                runId,
                OMNI);
        return new Plan(planned, kinds[0], planned - kinds[0] - kinds[1], kinds[1]);
    }
}
