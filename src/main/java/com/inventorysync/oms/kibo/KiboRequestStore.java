package com.inventorysync.oms.kibo;

import com.inventorysync.partition.Partition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/**
 * The Kibo target's rows: its planned updates (target {@code kibo} in {@code planned_update}), its
 * refresh requests and their items ({@code kibo_request}, {@code kibo_request_item}), and its synced
 * positions. Set-based work is SQL here; callers decide the transactions.
 */
@Repository
public class KiboRequestStore {
    public static final String TARGET = "kibo";

    /** planned_update states the Kibo target uses besides the shared PENDING, APPLIED and REJECTED. */
    public static final String QUEUED = "QUEUED";

    public static final String NOT_APPLIED = "NOT_APPLIED";

    private final JdbcTemplate jdbc;

    public KiboRequestStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // ---- plan -------------------------------------------------------------------------------

    public boolean hasPlan(long runId) {
        return exists("select 1 from planned_update where run_id = ? and target = 'kibo'", runId);
    }

    /**
     * Plans the run's Kibo updates from its staged snapshot: every key at a mapped location whose
     * count differs from the synced position for Kibo (or has none), and every key at a location to
     * refresh in full. Refresh is absolute, so each carries the new count.
     *
     * @return the number of planned updates
     */
    public int plan(long runId, Collection<String> locations, Collection<String> fullRefresh) {
        if (locations.isEmpty()) {
            return 0;
        }
        List<Object> args = new ArrayList<>();
        args.add(runId);
        args.addAll(locations);
        String full = fullRefresh.isEmpty() ? "" : " or s.location in (" + marks(fullRefresh.size()) + ")";
        args.addAll(fullRefresh);
        return jdbc.update("""
                insert into planned_update (run_id, target, sku, location, change_kind, quantity_type, quantity,
                                            new_count, previous_count, state, attempts, updated_at, upc, part_number)
                select s.run_id, 'kibo', s.sku, s.location,
                       case when p.sku is null then 'NEW' when p.quantity <> s.on_hand then 'CHANGED' else 'REFRESH' end,
                       'Absolute', s.on_hand, s.on_hand, p.quantity, 'PENDING', 0, current_timestamp, s.upc, s.part_number
                from snapshot_row s
                left join synced_position p on p.target = 'kibo' and p.sku = s.sku and p.location = s.location
                where s.run_id = ? and s.location in (%s)
                  and (p.sku is null or p.quantity <> s.on_hand%s)
                order by s.location, s.sku
                """.formatted(marks(locations.size()), full), args.toArray());
    }

    // ---- build ------------------------------------------------------------------------------

    public boolean hasRequests(long runId) {
        return exists("select 1 from kibo_request where run_id = ?", runId);
    }

    /** A planned update with what the snapshot says about its key, ready to validate. */
    public record PlannedItem(long plannedUpdateId, KiboSourceItem source) {}

    /** Streams the run's pending Kibo updates at one location in planning order. */
    public void pendingAt(long runId, String location, Consumer<PlannedItem> consumer) {
        jdbc.query(
                connection -> {
                    PreparedStatement ps = connection.prepareStatement(ITEM_SELECT + """
                    where pu.run_id = ? and pu.target = 'kibo' and pu.location = ? and pu.state = 'PENDING'
                    order by pu.id
                    """);
                    ps.setFetchSize(1000);
                    ps.setLong(1, runId);
                    ps.setString(2, location);
                    return ps;
                },
                (ResultSet rs) -> {
                    consumer.accept(plannedItem(rs));
                });
    }

    /** Marks planned updates rejected with their reasons; {@code vendorStatus} is 400 for Kibo's own refusals, null for ours. */
    public void reject(Map<Long, String> reasons, Integer vendorStatus) {
        List<Object[]> rows = reasons.entrySet().stream()
                .map(e -> new Object[] {vendorStatus, truncate(e.getValue(), 1000), e.getKey()})
                .toList();
        jdbc.batchUpdate(
                "update planned_update set state = 'REJECTED', vendor_status = ?, vendor_message = ?, "
                        + "updated_at = current_timestamp where id = ?",
                rows);
    }

    /**
     * Records a request and its items in payload order: planned update ids and, for each, its optional
     * fields ({@link KiboOptionalFields#FIELDS} order; null entries when it has none). Returns its id.
     *
     * @param replacesId  the refused request whose rest it re-posts, or null
     * @param partitionNo its partition of a partitioned {@code kiboSend} (0 until {@link KiboSendPartitions} assigns one)
     */
    public long insertRequest(
            long runId,
            String location,
            String locationName,
            int seq,
            List<Long> plannedUpdateIds,
            List<String[]> fields,
            Long replacesId,
            int partitionNo) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(
                connection -> {
                    PreparedStatement ps = connection.prepareStatement("""
                    insert into kibo_request (run_id, location, location_name, seq, item_count, state, replaces_id, created_at,
                                              partition_no)
                    values (?, ?, ?, ?, ?, 'PENDING', ?, current_timestamp, ?)
                    """, new String[] {"id"});
                    ps.setLong(1, runId);
                    ps.setString(2, location);
                    ps.setString(3, locationName);
                    ps.setInt(4, seq);
                    ps.setInt(5, plannedUpdateIds.size());
                    ps.setObject(6, replacesId);
                    ps.setInt(7, partitionNo);
                    return ps;
                },
                key);
        long requestId = key.getKey().longValue();
        int width = KiboOptionalFields.FIELDS.size();
        List<Object[]> items = new ArrayList<>(plannedUpdateIds.size());
        for (int i = 0; i < plannedUpdateIds.size(); i++) {
            Object[] row = new Object[3 + width];
            row[0] = requestId;
            row[1] = i;
            row[2] = plannedUpdateIds.get(i);
            String[] values = fields == null ? null : fields.get(i);
            for (int f = 0; f < width; f++) {
                row[3 + f] = values == null ? null : values[f];
            }
            items.add(row);
        }
        jdbc.batchUpdate(
                "insert into kibo_request_item (request_id, item_index, planned_update_id, "
                        + String.join(", ", KiboOptionalFields.FIELDS.values()) + ") values (?, ?, ?"
                        + ", ?".repeat(width) + ")",
                items);
        return requestId;
    }

    // ---- send -------------------------------------------------------------------------------

    /** The oldest request of the run not yet answered: PENDING, or POSTED without a recorded answer. */
    public Optional<Long> nextOpenRequest(long runId) {
        return nextOpenRequest(runId, Partition.WHOLE);
    }

    /** The oldest request of the run's {@code partition} of {@code kiboSend} not yet answered. */
    public Optional<Long> nextOpenRequest(long runId, Partition partition) {
        return jdbc
                .query(
                        "select id from kibo_request where run_id = ? and state in ('PENDING', 'POSTED')"
                                + inPartition(partition) + " order by id fetch first 1 rows only",
                        (rs, i) -> rs.getLong(1),
                        runId)
                .stream()
                .findFirst();
    }

    /** How many requests of the run are not yet answered (what {@link #nextOpenRequest} has still to hand out). */
    public long openRequestCount(long runId) {
        return openRequestCount(runId, Partition.WHOLE);
    }

    /** How many requests of the run's {@code partition} are not yet answered. */
    public long openRequestCount(long runId, Partition partition) {
        return jdbc.queryForObject(
                "select count(*) from kibo_request where run_id = ? and state in ('PENDING', 'POSTED')"
                        + inPartition(partition),
                Long.class,
                runId);
    }

    /** An unpartitioned step's requests are all of the run's, whatever partition they were given. */
    private static String inPartition(Partition partition) {
        return partition.count() == 1 ? "" : " and partition_no = " + partition.index();
    }

    public record RequestItem(int index, long plannedUpdateId, KiboSourceItem source) {}

    public record OpenRequest(
            long id,
            long runId,
            String location,
            String locationName,
            int seq,
            int attempts,
            int partitionNo,
            List<RequestItem> items) {}

    public OpenRequest load(long requestId) {
        OpenRequest head = jdbc.queryForObject(
                "select id, run_id, location, location_name, seq, attempts, partition_no from kibo_request where id = ?",
                (rs, i) -> new OpenRequest(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5),
                        rs.getInt(6),
                        rs.getInt(7),
                        List.of()),
                requestId);
        List<RequestItem> items = jdbc.query(
                """
                        select ri.item_index, pu.id, pu.sku, pu.location, pu.new_count, pu.upc, pu.part_number, %s
                        from kibo_request_item ri
                        join planned_update pu on pu.id = ri.planned_update_id
                        where ri.request_id = ?
                        order by ri.item_index
                        """.formatted(KiboOptionalFields.FIELDS.values().stream()
                        .map(c -> "ri." + c)
                        .collect(Collectors.joining(", "))),
                (rs, i) -> {
                    String[] values = new String[KiboOptionalFields.FIELDS.size()];
                    for (int f = 0; f < values.length; f++) {
                        values[f] = rs.getString(8 + f);
                    }
                    return new RequestItem(
                            rs.getInt("item_index"),
                            rs.getLong("id"),
                            KiboOptionalFields.withFields(plannedItem(rs).source(), values));
                },
                requestId);
        return new OpenRequest(
                head.id(),
                head.runId(),
                head.location(),
                head.locationName(),
                head.seq(),
                head.attempts(),
                head.partitionNo(),
                List.copyOf(items));
    }

    /** Says the request is on its way; committed before the POST so that status shows it even if the process dies. */
    public void markPosted(long requestId) {
        jdbc.update(
                "update kibo_request set state = 'POSTED', attempts = attempts + 1, posted_at = current_timestamp "
                        + "where id = ? and state in ('PENDING', 'POSTED')",
                requestId);
    }

    /** Records the job id Kibo queued the request as; its items wait for the job. */
    public void recordAccepted(long requestId, long jobId) {
        jdbc.update(
                "update kibo_request set state = 'ACCEPTED', job_id = ?, queue_status = 'QUEUED', "
                        + "accepted_at = current_timestamp where id = ?",
                jobId,
                requestId);
        jdbc.update(
                "update planned_update set state = 'QUEUED', attempts = attempts + 1, vendor_status = 200, "
                        + "updated_at = current_timestamp where id in (select planned_update_id from kibo_request_item "
                        + "where request_id = ? and rejected_reason is null)",
                requestId);
    }

    /**
     * Records a 400: the items it named are rejected with the vendor's reasons; when it named only
     * some items, the rest go out again as a new request (returned), in the refused one's partition
     * of {@code kiboSend}, so that the partition that was refused sends it.
     *
     * @param itemReasons reasons by payload index; empty when the vendor refused the request as a whole
     */
    public Optional<Long> recordRefused(
            OpenRequest request, String message, Map<Integer, String> itemReasons, String wholeRequestReason) {
        jdbc.update(
                "update kibo_request set state = 'REFUSED', vendor_message = ?, finished_at = current_timestamp where id = ?",
                truncate(message, 4000),
                request.id());
        Map<Integer, String> reasons = wholeRequestReason != null
                ? request.items().stream().collect(Collectors.toMap(RequestItem::index, i -> wholeRequestReason))
                : itemReasons;
        jdbc.batchUpdate(
                "update kibo_request_item set rejected_reason = ? where request_id = ? and item_index = ?",
                reasons.entrySet().stream()
                        .map(e -> new Object[] {truncate(e.getValue(), 1000), request.id(), e.getKey()})
                        .toList());
        reject(
                request.items().stream()
                        .filter(i -> reasons.containsKey(i.index()))
                        .collect(Collectors.toMap(RequestItem::plannedUpdateId, i -> reasons.get(i.index()))),
                400);
        List<RequestItem> rest = request.items().stream()
                .filter(i -> !reasons.containsKey(i.index()))
                .toList();
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        // A location's requests may be spread over partitions that refuse at the same time: the lock
        // on its first request (held to the commit) gives each re-post a sequence number of its own.
        jdbc.queryForList(
                "select id from kibo_request where run_id = ? and location = ? and seq = 1 for update",
                Long.class,
                request.runId(),
                request.location());
        Integer seq = jdbc.queryForObject(
                "select max(seq) + 1 from kibo_request where run_id = ? and location = ?",
                Integer.class,
                request.runId(),
                request.location());
        return Optional.of(insertRequest(
                request.runId(),
                request.location(),
                request.locationName(),
                seq,
                rest.stream().map(RequestItem::plannedUpdateId).toList(),
                rest.stream().map(i -> KiboOptionalFields.valuesOf(i.source())).toList(),
                request.id(),
                request.partitionNo()));
    }

    // ---- poll -------------------------------------------------------------------------------

    public record QueuedJob(long requestId, long jobId, String locationName, int itemCount) {}

    /** Accepted requests of the run whose job has not reached a final status. */
    public List<QueuedJob> openJobs(long runId) {
        return jdbc.query(
                "select id, job_id, location_name, item_count from kibo_request where run_id = ? and state = 'ACCEPTED' "
                        + "and (queue_status is null or queue_status not in ('COMPLETED', 'FAILED', 'NOT_FOUND')) order by id",
                (rs, i) -> new QueuedJob(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4)),
                runId);
    }

    /** How many requests of the run Kibo accepted as queued jobs, finished or not. */
    public long acceptedRequestCount(long runId) {
        return jdbc.queryForObject(
                "select count(*) from kibo_request where run_id = ? and state = 'ACCEPTED'", Long.class, runId);
    }

    /**
     * Records a job's status. A job COMPLETED without errors has applied every item: the items become
     * APPLIED and their synced positions for Kibo move to the counts sent. A FAILED job, or one that
     * reports errors without saying which items, moves nothing: those items are NOT_APPLIED and the next
     * run, comparing with unchanged positions, sends them again.
     */
    public void recordQueueStatus(long requestId, KiboQueueJob job) {
        jdbc.update(
                "update kibo_request set queue_status = ?, processed_count = ?, error_count = ?, polled_at = current_timestamp, "
                        + "finished_at = case when ? then current_timestamp else finished_at end where id = ?",
                job.status(),
                job.processedCount(),
                job.errorCount(),
                job.finished(),
                requestId);
        if (!job.finished()) {
            return;
        }
        if (KiboQueueJob.COMPLETED.equals(job.status()) && job.errorCount() == 0) {
            jdbc.update("""
                    merge into synced_position p
                    using (select pu.id, pu.run_id, pu.sku, pu.location, pu.new_count
                           from kibo_request_item ri join planned_update pu on pu.id = ri.planned_update_id
                           where ri.request_id = ? and ri.rejected_reason is null) u
                    on p.target = 'kibo' and p.sku = u.sku and p.location = u.location
                    when matched then update set quantity = u.new_count, run_id = u.run_id, planned_update_id = u.id,
                                                 updated_at = current_timestamp
                    when not matched then insert (target, sku, location, quantity, run_id, planned_update_id, updated_at)
                                          values ('kibo', u.sku, u.location, u.new_count, u.run_id, u.id, current_timestamp)
                    """, requestId);
            setItemStates(requestId, "APPLIED", null);
        } else {
            setItemStates(
                    requestId,
                    NOT_APPLIED,
                    "Kibo job " + job.jobId() + " ended " + job.status()
                            + (job.errorCount() > 0 ? " with " + job.errorCount() + " errors" : ""));
        }
    }

    private void setItemStates(long requestId, String state, String message) {
        jdbc.update(
                "update planned_update set state = ?, vendor_message = coalesce(?, vendor_message), updated_at = current_timestamp "
                        + "where id in (select planned_update_id from kibo_request_item where request_id = ? and rejected_reason is null)",
                state,
                message,
                requestId);
    }

    // ---- report -----------------------------------------------------------------------------

    public record RequestRow(
            long id,
            String location,
            String locationName,
            int seq,
            int itemCount,
            String state,
            Long replacesId,
            int attempts,
            Long jobId,
            String queueStatus,
            Integer processedCount,
            Integer errorCount,
            String vendorMessage) {}

    public List<RequestRow> requests(long runId) {
        return jdbc.query(
                "select id, location, location_name, seq, item_count, state, replaces_id, attempts, job_id, queue_status, "
                        + "processed_count, error_count, vendor_message from kibo_request where run_id = ? order by id",
                (rs, i) -> new RequestRow(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getInt(4),
                        rs.getInt(5),
                        rs.getString(6),
                        (Long) rs.getObject(7, Long.class),
                        rs.getInt(8),
                        rs.getObject(9, Long.class),
                        rs.getString(10),
                        rs.getObject(11, Integer.class),
                        rs.getObject(12, Integer.class),
                        rs.getString(13)),
                runId);
    }

    /** The ids of the latest runs that built Kibo requests, newest first. */
    public List<Long> recentRuns(int runs) {
        return jdbc.queryForList(
                "select run_id from kibo_request group by run_id order by max(id) desc fetch first " + Math.max(1, runs)
                        + " rows only",
                Long.class);
    }

    /** Kibo planned updates of the run by state (PENDING, QUEUED, APPLIED, NOT_APPLIED, REJECTED). */
    public Map<String, Long> itemStates(long runId) {
        return jdbc
                .query(
                        "select state, count(*) from planned_update where run_id = ? and target = 'kibo' group by state",
                        (rs, i) -> Map.entry(rs.getString(1), rs.getLong(2)),
                        runId)
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static final String ITEM_SELECT = """
            select pu.id, pu.sku, pu.location, pu.new_count, pu.upc, pu.part_number
            from planned_update pu
            """;

    private static PlannedItem plannedItem(ResultSet rs) throws SQLException {
        return new PlannedItem(
                rs.getLong("id"),
                new KiboSourceItem(
                        rs.getString("sku"),
                        rs.getString("upc"),
                        rs.getString("part_number"),
                        rs.getLong("new_count"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
    }

    private boolean exists(String sql, Object... args) {
        return !jdbc.queryForList(sql + " fetch first 1 rows only", Integer.class, args)
                .isEmpty();
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
