package com.inventorysync.partition;

import com.inventorysync.ops.DatabaseKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which partition of a run each update belongs to. A run's locations are spread over its partitions
 * so that each holds about as many of the plan's changes (largest location first, each to the
 * lightest partition so far); a location holding more than a partition's share is split over every
 * partition by a hash of the SKU. The assignment is kept with the run
 * ({@code sync_run_location.partition_no}, null for a split location; {@code run_partitioning}),
 * so that every step and every restart of the run sees the same partitions.
 */
public class LocationPartitions {
    private final JdbcTemplate jdbc;

    public LocationPartitions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record LocationRows(String location, long rows) {}

    /**
     * Assigns the run's locations to {@code count} partitions by their changes in {@code plan_change}
     * (replacing an earlier assignment) and returns the count.
     */
    public int assign(long runId, String target, int count) {
        List<LocationRows> locations = jdbc.query(
                "select location, count(*) from plan_change where run_id = ? and target = ? group by location",
                (rs, i) -> new LocationRows(rs.getString(1), rs.getLong(2)),
                runId,
                target);
        jdbc.update("update sync_run_location set partition_no = null where run_id = ?", runId);
        List<Object[]> assigned = new ArrayList<>();
        for (var e : spread(locations, count)) {
            assigned.add(new Object[] {e.partition(), runId, e.location()});
        }
        jdbc.batchUpdate("update sync_run_location set partition_no = ? where run_id = ? and location = ?", assigned);
        // Locations without changes have nothing to plan or send: the first partition holds them.
        jdbc.update(
                "update sync_run_location set partition_no = 0 where run_id = ? and partition_no is null"
                        + " and location not in (select location from plan_change where run_id = ? and target = ?)",
                runId,
                runId,
                target);
        jdbc.update("delete from run_partitioning where run_id = ?", runId);
        jdbc.update("insert into run_partitioning (run_id, partitions) values (?, ?)", runId, count);
        return count;
    }

    record Assignment(String location, int partition) {}

    /** Largest first, each to the lightest partition; one larger than a partition's share is left out (split by hash). */
    static List<Assignment> spread(List<LocationRows> locations, int count) {
        long total = locations.stream().mapToLong(LocationRows::rows).sum();
        long share = (total + count - 1) / count;
        long[] load = new long[count];
        PriorityQueue<Integer> lightest = new PriorityQueue<>(
                Comparator.<Integer>comparingLong(p -> load[p]).thenComparingInt(p -> p));
        for (int p = 0; p < count; p++) {
            lightest.add(p);
        }
        List<Assignment> result = new ArrayList<>();
        locations.stream()
                .sorted(Comparator.comparingLong(LocationRows::rows).reversed().thenComparing(LocationRows::location))
                .filter(l -> count == 1 || l.rows() <= share)
                .forEach(l -> {
                    int p = lightest.poll();
                    load[p] += l.rows();
                    lightest.add(p);
                    result.add(new Assignment(l.location(), p));
                });
        return result;
    }

    /** Balanced enough: no partition holds more than this many times an even share of the updates to send. */
    static final double BALANCED = 1.25;

    /**
     * After a partitioned plan, before anything is sent: the plan's partitions follow the staged rows,
     * but a night's changes can sit at a few locations (one store's full recount) and leave one send
     * partition with nearly everything. When a partition holds more than {@value #BALANCED} times an even
     * share of the pending updates, they are spread again by a hash of their key. Deterministic, so a
     * repeat after a crash assigns the same.
     *
     * @return whether the updates were spread again
     */
    public boolean balancePending(long runId, String target, int count) {
        if (count <= 1) {
            return false;
        }
        List<Long> perPartition = jdbc.queryForList(
                "select count(*) from planned_update where run_id = ? and target = ? and state = 'PENDING'"
                        + " group by partition_no",
                Long.class,
                runId,
                target);
        long total = perPartition.stream().mapToLong(Long::longValue).sum();
        long largest = perPartition.stream().mapToLong(Long::longValue).max().orElse(0);
        if (total == 0 || largest <= BALANCED * total / count) {
            return false;
        }
        jdbc.update(
                "update planned_update set partition_no = mod(" + hash("location || '|' || sku") + ", " + count
                        + ") where run_id = ? and target = ? and state = 'PENDING'",
                runId,
                target);
        return true;
    }

    /** The partitions the run was planned in; 1 when its plan was not partitioned. */
    public int partitionsOf(long runId) {
        return assigned(runId).orElse(1);
    }

    /** How many partitions the run's locations were assigned to, if they were. */
    public OptionalInt assigned(long runId) {
        List<Integer> n =
                jdbc.queryForList("select partitions from run_partitioning where run_id = ?", Integer.class, runId);
        return n.isEmpty() ? OptionalInt.empty() : OptionalInt.of(n.get(0));
    }

    /**
     * The SQL condition that a row is in {@code partition}: written so that the database can pick the
     * partition's locations first and hash only the keys of split locations.
     */
    public String rowsOf(String locationAlias, String skuColumn, Partition partition) {
        return "(" + locationAlias + ".partition_no = " + partition.index() + " or (" + locationAlias
                + ".partition_no is null and mod(" + hash(skuColumn) + ", " + partition.count() + ") = "
                + partition.index() + "))";
    }

    private String hash(String skuColumn) {
        return DatabaseKind.isPostgres(jdbc)
                ? "(hashtext(" + skuColumn + ") & 2147483647)"
                : "ora_hash(" + skuColumn + ")";
    }
}
