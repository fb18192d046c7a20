package com.inventorysync.oms.omni;

import com.inventorysync.oms.omni.PlannedUpdate.State;
import com.inventorysync.ops.DatabaseKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * State changes of planned updates. Each method commits in a transaction of its own, whatever
 * transaction the caller is in, so that what the OMS was told is recorded the moment it is known
 * and survives a failure of the chunk that sent it.
 */
public class PlannedUpdateStore {
    public static final RowMapper<PlannedUpdate> ROW_MAPPER = PlannedUpdateStore::map;
    public static final String COLUMNS =
            "id, run_id, target, sku, location, change_kind, quantity_type, quantity, new_count, "
                    + "previous_count, state, observed_before, attempts";

    private final JdbcTemplate jdbc;
    private final Duration settleTime;
    private final TransactionTemplate own;
    /** Outside any transaction: a single statement on a connection of its own, committed by itself. */
    private final TransactionTemplate standalone;

    private volatile Boolean postgres;

    /**
     * @param settleTime how long after its request an update of unknown outcome may be read back
     *                   (the OMS is assumed to apply no request later than that)
     */
    public PlannedUpdateStore(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, Duration settleTime) {
        this.jdbc = jdbc;
        this.settleTime = settleTime;
        this.own = new TransactionTemplate(transactionManager);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.standalone = new TransactionTemplate(transactionManager);
        this.standalone.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
    }

    private boolean postgres() {
        if (postgres == null) {
            postgres = DatabaseKind.isPostgres(jdbc);
        }
        return postgres;
    }

    /**
     * What became of one update.
     *
     * @param state         APPLIED, REJECTED, UNKNOWN or PENDING (not applied; may be sent again)
     * @param vendorStatus  the HTTP status of the last answer, 0 when none came
     * @param vendorMessage the vendor's message, or the failure
     */
    public record Outcome(PlannedUpdate update, State state, int vendorStatus, String vendorMessage, int attempts) {}

    public Duration settleTime() {
        return settleTime;
    }

    /** Keeps the on-hand the OMS held just before these Deltas are sent (absent from the map: no count, i.e. 0). */
    public void recordObservedBefore(Collection<PlannedUpdate> deltas, Map<Long, Integer> observedById) {
        List<Object[]> rows = deltas.stream()
                .map(u -> new Object[] {observedById.getOrDefault(u.id(), 0), now(), u.id()})
                .toList();
        own.executeWithoutResult(tx ->
                jdbc.batchUpdate("update planned_update set observed_before = ?, updated_at = ? where id = ?", rows));
    }

    /** Marks the updates as being sent, before the first request leaves: one statement per chunk. */
    public void markInFlight(Collection<PlannedUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        StringBuilder ids = new StringBuilder();
        for (PlannedUpdate u : updates) {
            ids.append(ids.isEmpty() ? "" : ",").append(u.id());
        }
        standalone.executeWithoutResult(tx -> jdbc.update(
                "update planned_update set state = 'IN_FLIGHT', updated_at = ? where id in (" + ids + ")", now()));
    }

    /** Marks updates not sent on purpose (e.g. another system masters their location). */
    public void markSkipped(Collection<PlannedUpdate> updates, String reason) {
        List<Object[]> rows =
                updates.stream().map(u -> new Object[] {reason, now(), u.id()}).toList();
        own.executeWithoutResult(tx -> jdbc.batchUpdate(
                "update planned_update set state = 'SKIPPED', vendor_message = ?, updated_at = ? where id = ?", rows));
    }

    /**
     * Records outcomes, and for every applied update moves the key's last-synced position to the
     * update's new count, all in one transaction.
     */
    public void recordOutcomes(Collection<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        Timestamp now = now();
        Timestamp settleAfter = Timestamp.from(now.toInstant().plus(settleTime));
        List<Object[]> states = new ArrayList<>(outcomes.size());
        List<Object[]> positions = new ArrayList<>();
        for (Outcome o : outcomes) {
            PlannedUpdate u = o.update();
            states.add(new Object[] {
                o.state().name(),
                o.attempts(),
                o.vendorStatus() == 0 ? null : o.vendorStatus(),
                cut(o.vendorMessage()),
                now,
                o.state() == State.UNKNOWN ? settleAfter : null,
                u.id()
            });
            if (o.state() == State.APPLIED) {
                positions.add(new Object[] {u.newCount(), u.runId(), u.id(), now, u.target(), u.sku(), u.location()});
            }
        }
        if (postgres()) {
            // One statement for the group: states and applied keys' positions change atomically.
            // The commit need not wait for the disk: the IN_FLIGHT mark before the PUTs was committed
            // synchronously, so a database crash can only take these rows back to IN_FLIGHT, which is
            // resolved by reading the counts back (a Delta) or re-sending (an Absolute) - never to PENDING.
            own.executeWithoutResult(tx -> {
                jdbc.execute("set local synchronous_commit = off");
                recordInOneStatement(states, now, settleAfter);
            });
            return;
        }
        own.executeWithoutResult(tx -> {
            jdbc.batchUpdate(
                    "update planned_update set state = ?, attempts = attempts + ?, vendor_status = ?, vendor_message = ?, "
                            + "updated_at = ?, settle_after = ? where id = ?",
                    states);
            moveSyncedPositions(positions);
        });
    }

    /**
     * PostgreSQL: the states (one array per column, so the statement's text never changes and the
     * server plans it once per connection) and, from what the update returns, the upsert of the
     * applied keys' positions.
     */
    private static final String RECORD_OUTCOMES = """
            with v(id, state, attempts, status, message) as (
              select * from unnest(?::bigint[], ?::varchar[], ?::integer[], ?::integer[], ?::varchar[])
            ), recorded as (
              update planned_update p set state = v.state, attempts = p.attempts + v.attempts, vendor_status = v.status,
                     vendor_message = v.message, updated_at = ?,
                     settle_after = case when v.state = 'UNKNOWN' then ?::timestamp end
              from v where p.id = v.id
              returning p.id, p.run_id, p.target, p.sku, p.location, p.new_count, p.state, p.updated_at)
            insert into synced_position (target, sku, location, quantity, run_id, planned_update_id, updated_at)
            select target, sku, location, new_count, run_id, id, updated_at from recorded where state = 'APPLIED'
            on conflict (target, sku, location) do update set quantity = excluded.quantity, run_id = excluded.run_id,
              planned_update_id = excluded.planned_update_id, updated_at = excluded.updated_at""";

    private void recordInOneStatement(List<Object[]> states, Timestamp now, Timestamp settleAfter) {
        int n = states.size();
        Long[] ids = new Long[n];
        String[] names = new String[n];
        Integer[] attempts = new Integer[n];
        Integer[] statuses = new Integer[n];
        String[] messages = new String[n];
        for (int i = 0; i < n; i++) {
            Object[] r = states.get(i);
            names[i] = (String) r[0];
            attempts[i] = (Integer) r[1];
            statuses[i] = (Integer) r[2];
            messages[i] = (String) r[3];
            ids[i] = (Long) r[6];
        }
        jdbc.execute((Connection c) -> {
            try (var ps = c.prepareStatement(RECORD_OUTCOMES)) {
                ps.setArray(1, c.createArrayOf("bigint", ids));
                ps.setArray(2, c.createArrayOf("varchar", names));
                ps.setArray(3, c.createArrayOf("integer", attempts));
                ps.setArray(4, c.createArrayOf("integer", statuses));
                ps.setArray(5, c.createArrayOf("varchar", messages));
                ps.setTimestamp(6, now);
                ps.setTimestamp(7, settleAfter);
                return ps.executeUpdate();
            }
        });
    }

    private void moveSyncedPositions(List<Object[]> positions) {
        if (positions.isEmpty()) {
            return;
        }
        int[] updated = jdbc.batchUpdate(
                "update synced_position set quantity = ?, run_id = ?, planned_update_id = ?, updated_at = ? "
                        + "where target = ? and sku = ? and location = ?",
                positions);
        List<Object[]> inserts = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
                Object[] p = positions.get(i);
                inserts.add(new Object[] {p[4], p[5], p[6], p[0], p[1], p[2], p[3]});
            }
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate(
                    "insert into synced_position (target, sku, location, quantity, run_id, planned_update_id, updated_at) "
                            + "values (?, ?, ?, ?, ?, ?, ?)",
                    inserts);
        }
    }

    /**
     * Drops the last-synced position of keys whose count is no longer known for sure (a held
     * Delta): the next run then has no baseline for them and sends an Absolute, as for a new key.
     */
    public void forgetSyncedPositions(Collection<PlannedUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        List<Object[]> keys = updates.stream()
                .map(u -> new Object[] {u.target(), u.sku(), u.location()})
                .toList();
        own.executeWithoutResult(tx ->
                jdbc.batchUpdate("delete from synced_position where target = ? and sku = ? and location = ?", keys));
    }

    /** Updates of a run whose outcome is open: no answer came, or the process died with them in flight. */
    public List<PlannedUpdate> withUnknownOutcome(long runId, String target) {
        return jdbc.query(
                "select " + COLUMNS + " from planned_update where run_id = ? and target = ? "
                        + "and state in ('UNKNOWN', 'IN_FLIGHT') order by id",
                ROW_MAPPER,
                runId,
                target);
    }

    /** Updates of the target's other runs whose outcome is open: what a new plan must not be made on top of. */
    public List<PlannedUpdate> withUnknownOutcomeInOtherRuns(long runId, String target) {
        return jdbc.query(
                "select " + COLUMNS + " from planned_update where run_id <> ? and target = ? "
                        + "and state in ('UNKNOWN', 'IN_FLIGHT') order by id",
                ROW_MAPPER,
                runId,
                target);
    }

    /** The target's other runs that still have updates not settled (PENDING, IN_FLIGHT or UNKNOWN). */
    public List<Long> otherRunsWithOpenUpdates(long runId, String target) {
        return jdbc.queryForList(
                "select distinct run_id from planned_update where run_id <> ? and target = ? "
                        + "and state in ('PENDING', 'IN_FLIGHT', 'UNKNOWN') order by run_id",
                Long.class,
                runId,
                target);
    }

    /** A later run planned these keys again: the run's updates still waiting are never sent. */
    public int markPendingSuperseded(long runId, String target, long byRunId) {
        return own.execute(tx -> jdbc.update(
                "update planned_update set state = 'SUPERSEDED', vendor_message = ?, updated_at = ? "
                        + "where run_id = ? and target = ? and state = 'PENDING'",
                "not sent: run " + byRunId + " planned this key again",
                now(),
                runId,
                target));
    }

    /**
     * When each update may be read back: its recorded settle time, or, for one whose process died
     * with its request out (IN_FLIGHT, none recorded), the settle time from now, recorded so that a
     * second attempt does not wait again from the start.
     */
    public Map<Long, Instant> settleDeadlines(Collection<PlannedUpdate> updates) {
        if (updates.isEmpty()) {
            return Map.of();
        }
        Timestamp from = Timestamp.from(Instant.now().plus(settleTime));
        List<Object[]> rows =
                updates.stream().map(u -> new Object[] {from, u.id()}).toList();
        own.executeWithoutResult(tx -> jdbc.batchUpdate(
                "update planned_update set settle_after = ? where id = ? and settle_after is null", rows));
        Map<Long, Instant> deadlines = new HashMap<>();
        for (List<PlannedUpdate> batch : batches(new ArrayList<>(updates), 1000)) {
            String ids = batch.stream().map(u -> Long.toString(u.id())).collect(Collectors.joining(","));
            jdbc.query("select id, settle_after from planned_update where id in (" + ids + ")", rs -> {
                deadlines.put(rs.getLong(1), rs.getTimestamp(2).toInstant());
            });
        }
        return deadlines;
    }

    private static <T> List<List<T>> batches(List<T> items, int size) {
        List<List<T>> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            result.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return result;
    }

    /** The same updates as stored now (state, observed count). */
    public List<PlannedUpdate> reload(Collection<PlannedUpdate> updates) {
        List<PlannedUpdate> result = new ArrayList<>(updates.size());
        for (PlannedUpdate u : updates) {
            result.addAll(jdbc.query("select " + COLUMNS + " from planned_update where id = ?", ROW_MAPPER, u.id()));
        }
        return result;
    }

    private static String cut(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }

    private static PlannedUpdate map(ResultSet rs, int row) throws SQLException {
        int previous = rs.getInt("previous_count");
        Integer previousCount = rs.wasNull() ? null : previous;
        int observed = rs.getInt("observed_before");
        Integer observedBefore = rs.wasNull() ? null : observed;
        return new PlannedUpdate(
                rs.getLong("id"),
                rs.getLong("run_id"),
                rs.getString("target"),
                rs.getString("sku"),
                rs.getString("location"),
                rs.getString("change_kind"),
                QuantityType.valueOf(rs.getString("quantity_type")),
                rs.getInt("quantity"),
                rs.getInt("new_count"),
                previousCount,
                State.valueOf(rs.getString("state")),
                observedBefore,
                rs.getInt("attempts"));
    }
}
