package com.inventorysync.oms.omni;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.jobdef.JobDefinition.MissingKeyPolicy;
import com.inventorysync.partition.Partition;
import com.inventorysync.support.MigratedDatabase;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A partitioned plan is the whole plan, cut: the comparison made once for every partition, then
 * each partition's share written, gives the same updates as the unpartitioned plan, each in
 * exactly one partition; a partition planned again replaces its own share and touches no other.
 */
class SyncPlannerPartitionsTest {
    static final long WHOLE_RUN = 1;
    static final long PARTITIONED_RUN = 2;
    static final int PARTITIONS = 3;

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void thePartitionsSharesAreTheWholePlanEachUpdateInOnePartition(String database) {
        DataSource dataSource = MigratedDatabase.of(database, SyncPlannerPartitionsTest.class);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        // One transaction: a commit a row would wait for the disk a thousand times.
        tx.executeWithoutResult(s -> {
            lastSynced(jdbc);
            for (long run : new long[] {WHOLE_RUN, PARTITIONED_RUN}) {
                snapshot(jdbc, run);
            }
        });

        SyncPlanner planner = new SyncPlanner(jdbc);
        SyncPlanner.Plan whole = tx.execute(s -> planner.plan(WHOLE_RUN, MissingKeyPolicy.ZERO));
        Integer partitions =
                tx.execute(s -> planner.compareForPartitions(PARTITIONED_RUN, MissingKeyPolicy.ZERO, PARTITIONS));
        assertThat(partitions).isEqualTo(PARTITIONS);
        long planned = 0;
        long newKeys = 0;
        long changed = 0;
        long zeroed = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            Partition partition = new Partition(p, PARTITIONS);
            SyncPlanner.Plan share = tx.execute(s -> planner.plan(PARTITIONED_RUN, partition));
            assertThat(share.planned()).as("partition %d plans something", p).isPositive();
            planned += share.planned();
            newKeys += share.newKeys();
            changed += share.changed();
            zeroed += share.zeroedMissing();
        }

        // The fixture's plan: 200 new keys, 60 changed (half of them under DELTA), 49 missing set to zero.
        assertThat(whole).isEqualTo(new SyncPlanner.Plan(309, 200, 60, 49));
        assertThat(new SyncPlanner.Plan(planned, newKeys, changed, zeroed)).isEqualTo(whole);
        assertThat(updates(jdbc, PARTITIONED_RUN)).isEqualTo(updates(jdbc, WHOLE_RUN));
        // The DC holds two thirds of the changes: its keys went to more than one partition, each key to exactly one.
        assertThat(jdbc.queryForObject(
                        "select count(distinct partition_no) from planned_update where run_id = ? and location = 'DC'",
                        Integer.class,
                        PARTITIONED_RUN))
                .isGreaterThan(1);
        assertThat(jdbc.queryForObject(
                        "select count(*) from (select sku, location from planned_update where run_id = ?"
                                + " group by sku, location having count(*) > 1) d",
                        Long.class,
                        PARTITIONED_RUN))
                .isZero();

        // A partition planned again (its step restarted) replaces its share alone. The restarted plan
        // keeps the comparison and the partitions of its first attempt, whatever changed since and
        // whatever the grid size says now: another assignment could plan a key in two partitions.
        List<String> before = updates(jdbc, PARTITIONED_RUN);
        int p1 = count(jdbc, "select count(*) from planned_update where run_id = ? and partition_no = 1");
        jdbc.update(
                "update planned_update set state = 'APPLIED' where run_id = ? and partition_no <> 1", PARTITIONED_RUN);
        jdbc.update("update synced_position set quantity = 99 where location = 'S2'");
        Integer restarted = tx.execute(s -> planner.compareForPartitions(PARTITIONED_RUN, MissingKeyPolicy.ZERO, 2));
        assertThat(restarted).isEqualTo(PARTITIONS);
        SyncPlanner.Plan again = tx.execute(s -> planner.plan(PARTITIONED_RUN, new Partition(1, PARTITIONS)));
        assertThat(again.planned()).isEqualTo(p1);
        assertThat(updates(jdbc, PARTITIONED_RUN)).isEqualTo(before);
        assertThat(count(jdbc, "select count(*) from planned_update where run_id = ? and state = 'PENDING'"))
                .isEqualTo(p1);
    }

    private static int count(JdbcTemplate jdbc, String sql) {
        return jdbc.queryForObject(sql, Integer.class, PARTITIONED_RUN);
    }

    /** Every planned update of a run as text, in key order. */
    private static List<String> updates(JdbcTemplate jdbc, long run) {
        return jdbc.query(
                "select sku, location, change_kind, quantity_type, quantity, new_count, previous_count"
                        + " from planned_update where run_id = ? order by location, sku",
                (rs, i) -> String.join(
                        " ",
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        String.valueOf(rs.getObject(7))),
                run);
    }

    /**
     * Last synced: 100 SKUs at four stores (S1, S2 under DELTA; S3, S4 under ABSOLUTE) and 100 at a
     * large DC, each count 10; the snapshots below drop some, change some and add new ones.
     */
    private static void lastSynced(JdbcTemplate jdbc) {
        for (String location : new String[] {"S1", "S2", "S3", "S4", "DC"}) {
            for (int s = 0; s < 100; s++) {
                jdbc.update(
                        "insert into synced_position (target, sku, location, quantity, updated_at)"
                                + " values ('omni', ?, ?, 10, current_timestamp)",
                        "SKU-" + s,
                        location);
            }
        }
    }

    /**
     * A run's snapshot: at each store, SKUs 0-89 (90-99 missing), 15 of them changed; at the DC (a
     * location larger than a partition's share, split by key) SKUs 0-89 unchanged (90-99 missing) and
     * 200 new ones. One missing key, SKU-95 at S1, was on a rejected line: not set to zero.
     */
    private static void snapshot(JdbcTemplate jdbc, long run) {
        String[][] locations = {
            {"S1", "DELTA"}, {"S2", "DELTA"}, {"S3", "ABSOLUTE"}, {"S4", "ABSOLUTE"}, {"DC", "ABSOLUTE"}
        };
        long line = 2;
        for (String[] location : locations) {
            jdbc.update(
                    "insert into sync_run_location (run_id, location, policy) values (?, ?, ?)",
                    run,
                    location[0],
                    location[1]);
            boolean dc = location[0].equals("DC");
            for (int s = 0; s < (dc ? 290 : 90); s++) {
                int count = !dc && s % 6 == 0 ? 11 + s : 10;
                jdbc.update(
                        "insert into snapshot_row (run_id, line_no, sku, location, on_hand) values (?, ?, ?, ?, ?)",
                        run,
                        line++,
                        dc && s >= 90 ? "NEW-" + s : "SKU-" + s,
                        location[0],
                        count);
            }
        }
        jdbc.update(
                "insert into rejected_row (run_id, file_name, line_no, field, reason, sku, location)"
                        + " values (?, 'snapshot.csv', ?, 'on_hand', 'not a number', 'SKU-95', 'S1')",
                run,
                line);
    }
}
