package com.inventorysync.oms.omni;

import com.inventorysync.jobdef.JobDefinition.MissingKeyPolicy;
import com.inventorysync.ops.DatabaseKind;
import com.inventorysync.partition.LocationPartitions;
import com.inventorysync.partition.Partition;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Compares a run's staged snapshot with the last-synced positions of a target and writes the
 * planned updates, in SQL: a new key is set ({@code Absolute}) whatever the policy, so a
 * {@code Delta} always has a baseline the product set itself; a changed key gets its location's
 * policy ({@code DELTA}: new - last, {@code ABSOLUTE}: new); a key missing from the snapshot is
 * kept or set to zero per the missing policy (not when the snapshot had it on a rejected row);
 * an unchanged key gets nothing. Idempotent: planning a run again replaces its plan.
 *
 * <p>A partitioned plan runs {@link #plan} once per partition, each on the keys of its
 * partition's locations ({@link LocationPartitions}), after {@link #prepare} once for them all.
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
            case when p.quantity is null then 'NEW' else 'CHANGED' end,
            case when p.quantity is null or l.policy = 'ABSOLUTE' then 'Absolute' else 'Delta' end,
            case when p.quantity is null or l.policy = 'ABSOLUTE' then s.on_hand else s.on_hand - p.quantity end,
            s.on_hand, p.quantity""";

    /** The staged rows of a run (of its partition) that are new or changed against the last-synced positions. */
    private static String changedRows(long runId, String snapshotRowsIn) {
        return """
                from snapshot_row s
                join sync_run_location l on l.run_id = s.run_id and l.location = s.location
                left join synced_position p on p.target = '%1$s' and p.sku = s.sku and p.location = s.location
                where s.run_id = %2$d and (p.quantity is null or p.quantity <> s.on_hand) and %3$s""".formatted(OMNI, runId, snapshotRowsIn);
    }

    /**
     * On PostgreSQL the comparison is a {@code CREATE TABLE AS}, which may use parallel workers where an
     * {@code INSERT ... SELECT} may not, into a scratch table of this transaction (unlogged: a crash rolls
     * its creation back with the rest); only the changed keys are then inserted, in key order.
     */
    private int planChangedInParallel(long runId, Partition partition, String partitionOf, String snapshotRowsIn) {
        // Created and dropped in the plan's transaction: no attempt, finished or not, leaves it behind.
        String scratch = "plan_changes_" + runId + "_" + partition.index();
        jdbc.execute("""
                create unlogged table %1$s (sku, location, change_kind, quantity_type, quantity, new_count,
                                            previous_count, partition_no) as
                select %2$s, %3$s
                %4$s""".formatted(scratch, CHANGED_COLUMNS, partitionOf, changedRows(runId, snapshotRowsIn)));
        int planned = jdbc.update("""
                insert into planned_update (run_id, target, sku, location, change_kind, quantity_type, quantity, new_count,
                                            previous_count, state, attempts, updated_at, partition_no)
                select ?, ?, sku, location, change_kind, quantity_type, quantity, new_count, previous_count,
                       'PENDING', 0, current_timestamp, partition_no
                from %s order by location, sku""".formatted(scratch), runId, OMNI);
        jdbc.execute("drop table " + scratch);
        return planned;
    }

    /** The whole plan, in one transaction. */
    public Plan plan(long runId, MissingKeyPolicy missing) {
        analyzeOnPostgres();
        return plan(runId, missing, Partition.WHOLE);
    }

    /** Before the partitions of a partitioned plan: fresh statistics for all of them. */
    public void prepare() {
        analyzeOnPostgres();
    }

    /** One partition's share of the plan, replacing what an earlier attempt at it planned. */
    public Plan plan(long runId, MissingKeyPolicy missing, Partition partition) {
        tuneOnPostgres();
        String inPartition = "";
        String partitionOfSnapshot = "0";
        String partitionOfSynced = "0";
        String snapshotRowsIn = "1 = 1";
        String syncedRowsIn = "1 = 1";
        if (partition.count() > 1) {
            LocationPartitions locations = new LocationPartitions(jdbc);
            partitionOfSnapshot = locations.partitionOf("l", "s.sku", partition.count());
            partitionOfSynced = locations.partitionOf("l", "p.sku", partition.count());
            snapshotRowsIn = locations.rowsOf("l", "s.sku", partition);
            syncedRowsIn = locations.rowsOf("l", "p.sku", partition);
            inPartition = " and partition_no = " + partition.index();
        }
        jdbc.update("delete from planned_update where run_id = ? and target = ?" + inPartition, runId, OMNI);
        int fromSnapshot = DatabaseKind.isPostgres(jdbc)
                ? planChangedInParallel(runId, partition, partitionOfSnapshot, snapshotRowsIn)
                : jdbc.update(
                        """
                        insert into planned_update (run_id, target, sku, location, change_kind, quantity_type, quantity,
                                                    new_count, previous_count, state, attempts, updated_at, partition_no)
                        select s.run_id, '%1$s', %2$s, 'PENDING', 0, current_timestamp, %3$s
                        %4$s
                        order by s.location, s.sku""".formatted(OMNI, CHANGED_COLUMNS, partitionOfSnapshot, changedRows(runId, snapshotRowsIn)));
        int zeroed = 0;
        if (missing == MissingKeyPolicy.ZERO) {
            zeroed = jdbc.update("""
                    insert into planned_update (run_id, target, sku, location, change_kind, quantity_type, quantity, new_count,
                                                previous_count, state, attempts, updated_at, partition_no)
                    select l.run_id, p.target, p.sku, p.location, 'MISSING',
                           case when l.policy = 'ABSOLUTE' then 'Absolute' else 'Delta' end,
                           case when l.policy = 'ABSOLUTE' then 0 else 0 - p.quantity end,
                           0, p.quantity, 'PENDING', 0, current_timestamp, %1$s
                    from synced_position p
                    join sync_run_location l on l.run_id = ? and l.location = p.location
                    where p.target = ? and p.quantity <> 0 and %2$s
                      and not exists (select 1 from snapshot_row s where s.run_id = l.run_id and s.sku = p.sku and s.location = p.location)
                      and not exists (select 1 from rejected_row r where r.run_id = l.run_id and r.sku = p.sku and r.location = p.location)
                    order by p.location, p.sku""".formatted(partitionOfSynced, syncedRowsIn), runId, OMNI);
        }
        Long newKeys = jdbc.queryForObject(
                "select count(*) from planned_update where run_id = ? and target = ? and change_kind = 'NEW'"
                        + inPartition,
                Long.class,
                runId,
                OMNI);
        long n = newKeys == null ? 0 : newKeys;
        return new Plan(fromSnapshot + zeroed, n, fromSnapshot - n, zeroed);
    }
}
