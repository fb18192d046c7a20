package com.inventorysync.oms.kibo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which partition of a run's partitioned {@code kiboSend} each refresh request belongs to
 * ({@code kibo_request.partition_no}). Requests are built per Kibo location, so they are spread by
 * location: each location's requests go to one partition, so that about as many items go to each
 * (largest first, each to the lightest partition so far); a location holding more than a
 * partition's share has its requests spread one by one instead. Requests are never split: a
 * location's items keep the fewest, fullest requests however many partitions send them.
 *
 * <p>The assignment is made once per run, when {@code kiboSend} first starts partitioned, and kept
 * ({@code kibo_partitioning}): a restart, whatever grid size it is given, sends the open requests
 * in the partitions they were given, and a completed partition never gets new ones.
 */
class KiboSendPartitions {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    KiboSendPartitions(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** A request still to send, as the assignment weighs it. */
    record OpenRequest(long id, String location, int items) {}

    /** The run's partitions of {@code kiboSend}: those assigned before, or its open requests assigned to {@code grid} now. */
    int assignOnce(long runId, int grid) {
        return transaction.execute(tx -> {
            List<Integer> kept = jdbc.queryForList(
                    "select partitions from kibo_partitioning where run_id = ?", Integer.class, runId);
            if (!kept.isEmpty()) {
                return kept.get(0);
            }
            List<OpenRequest> open = jdbc.query(
                    "select id, location, item_count from kibo_request where run_id = ? and state in ('PENDING', 'POSTED')"
                            + " order by id",
                    (rs, i) -> new OpenRequest(rs.getLong(1), rs.getString(2), rs.getInt(3)),
                    runId);
            jdbc.batchUpdate(
                    "update kibo_request set partition_no = ? where id = ?",
                    spread(open, grid).entrySet().stream()
                            .map(e -> new Object[] {e.getValue(), e.getKey()})
                            .toList());
            jdbc.update("insert into kibo_partitioning (run_id, partitions) values (?, ?)", runId, grid);
            return grid;
        });
    }

    /** Request id to partition: whole locations, or the requests of one over a partition's share, largest first to the lightest. */
    static Map<Long, Integer> spread(List<OpenRequest> requests, int count) {
        Map<String, List<OpenRequest>> byLocation = new LinkedHashMap<>();
        requests.forEach(r ->
                byLocation.computeIfAbsent(r.location(), l -> new ArrayList<>()).add(r));
        long total = requests.stream().mapToLong(OpenRequest::items).sum();
        long share = (total + count - 1) / count;
        record Unit(List<OpenRequest> requests, long items) {}
        List<Unit> units = new ArrayList<>();
        for (List<OpenRequest> at : byLocation.values()) {
            long items = at.stream().mapToLong(OpenRequest::items).sum();
            if (items <= share) {
                units.add(new Unit(at, items));
            } else {
                at.forEach(r -> units.add(new Unit(List.of(r), r.items())));
            }
        }
        units.sort(Comparator.comparingLong(Unit::items)
                .reversed()
                .thenComparingLong(u -> u.requests().get(0).id()));
        long[] load = new long[count];
        PriorityQueue<Integer> lightest = new PriorityQueue<>(
                Comparator.<Integer>comparingLong(p -> load[p]).thenComparingInt(p -> p));
        for (int p = 0; p < count; p++) {
            lightest.add(p);
        }
        Map<Long, Integer> partitionOf = new HashMap<>();
        for (Unit unit : units) {
            int p = lightest.poll();
            load[p] += unit.items();
            lightest.add(p);
            unit.requests().forEach(r -> partitionOf.put(r.id(), p));
        }
        return partitionOf;
    }
}
