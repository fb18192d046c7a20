package com.inventorysync.reconcile;

import com.inventorysync.jobdef.JobDefinition.Pool;
import com.inventorysync.reconcile.ReconcileReport.GroupCount;
import com.inventorysync.reconcile.ReconcileReport.Sources;
import com.inventorysync.reconcile.ReconcileReport.TrendPoint;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The reconciliation tables: runs, their discrepancies, and the staging a run fills. */
@Repository
public class ReconcileRepository {
    /** Staging tables, emptied for a run once its reports are written. */
    static final List<String> STAGING = List.of(
            "reconcile_pool",
            "reconcile_pool_member",
            "reconcile_location",
            "reconcile_sku_filter",
            "reconcile_virtual",
            "reconcile_available",
            "reconcile_on_hand");

    public static final String INSERT_DISCREPANCY =
            "insert into reconcile_discrepancy (execution_id, comparison, discrepancy_class,"
                    + " impact, pool_group, pool_name, location, sku, expected, actual, difference, abs_difference, relative, detail)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;

    public ReconcileRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A run's own record plus what the job file says: pools, members, and the optional SKU filter. */
    public void startRun(
            long executionId,
            String jobName,
            Instant startedAt,
            int tolerance,
            int alertThreshold,
            String outputDir,
            List<Pool> pools,
            Collection<String> skuFilter) {
        for (String table : STAGING) {
            jdbc.update("delete from " + table + " where execution_id = ?", executionId);
        }
        jdbc.update("delete from reconcile_discrepancy where execution_id = ?", executionId);
        jdbc.update("delete from reconcile_run where execution_id = ?", executionId);
        jdbc.update(
                "insert into reconcile_run (execution_id, job_name, started_at, status, tolerance, alert_threshold, output_dir, pools)"
                        + " values (?, ?, ?, 'STARTED', ?, ?, ?, ?)",
                executionId,
                jobName,
                Timestamp.from(startedAt),
                tolerance,
                alertThreshold,
                outputDir,
                pools.size());
        jdbc.batchUpdate(
                "insert into reconcile_pool (execution_id, pool_group, pool_name, buffer) values (?, ?, ?, ?)",
                pools,
                100,
                (ps, p) -> {
                    ps.setLong(1, executionId);
                    ps.setString(2, p.group());
                    ps.setString(3, p.name());
                    ps.setInt(4, p.buffer() == null ? 0 : p.buffer());
                });
        List<Object[]> members = new ArrayList<>();
        for (Pool p : pools) {
            for (String m : p.members().stream().distinct().toList()) {
                members.add(new Object[] {executionId, p.group(), p.name(), m});
            }
        }
        jdbc.batchUpdate(
                "insert into reconcile_pool_member (execution_id, pool_group, pool_name, location) values (?, ?, ?, ?)",
                members);
        jdbc.batchUpdate(
                "insert into reconcile_sku_filter (execution_id, sku) values (?, ?)",
                skuFilter.stream()
                        .distinct()
                        .map(s -> new Object[] {executionId, s})
                        .toList());
    }

    public void saveLocations(long executionId, Collection<String> activeLocations) {
        jdbc.batchUpdate(
                "insert into reconcile_location (execution_id, location) values (?, ?) on conflict do nothing",
                activeLocations.stream()
                        .distinct()
                        .map(l -> new Object[] {executionId, l})
                        .toList());
    }

    public List<String> skuFilter(long executionId) {
        return jdbc.queryForList(
                "select sku from reconcile_sku_filter where execution_id = ? order by sku", String.class, executionId);
    }

    public List<String> poolGroups(long executionId) {
        return jdbc.queryForList(
                "select distinct pool_group from reconcile_pool where execution_id = ? order by pool_group",
                String.class,
                executionId);
    }

    /** Where available counts are read: every active OMS location (members or not), so unpooled stock shows. */
    public List<String> availableLocations(long executionId) {
        return jdbc.queryForList(
                "select location from reconcile_location where execution_id = ? order by location",
                String.class,
                executionId);
    }

    /** Pool members that are not active OMS locations: their counts are 0 by definition. */
    public List<String> unknownMembers(long executionId) {
        return jdbc.queryForList(
                "select distinct m.location from reconcile_pool_member m where m.execution_id = ?"
                        + " and not exists (select 1 from reconcile_location l where l.execution_id = m.execution_id and l.location = m.location)"
                        + " order by m.location",
                String.class,
                executionId);
    }

    /** Where on-hand counts are read: the locations the sync has written to. */
    public List<String> syncedLocations(String target) {
        return jdbc.queryForList(
                "select distinct location from synced_position where target = ? order by location",
                String.class,
                target);
    }

    public void finishRun(long executionId, Instant finishedAt) {
        Sources s = sources(executionId);
        Map<Impact, Long> byImpact = new EnumMap<>(Impact.class);
        countsByClass(executionId).forEach((c, n) -> byImpact.merge(c.impact(), n, Long::sum));
        long total = byImpact.values().stream().mapToLong(Long::longValue).sum();
        jdbc.update(
                "update reconcile_run set finished_at = ?, status = 'COMPLETED', virtual_counts = ?, available_counts = ?,"
                        + " on_hand_counts = ?, synced_positions = ?, discrepancies = ?, oversell_risk = ?, lost_sales = ?, drift = ?"
                        + " where execution_id = ?",
                Timestamp.from(finishedAt),
                s.virtualCounts(),
                s.availableCounts(),
                s.onHandCounts(),
                s.syncedPositions(),
                total,
                byImpact.getOrDefault(Impact.OVERSELL_RISK, 0L),
                byImpact.getOrDefault(Impact.LOST_SALES, 0L),
                byImpact.getOrDefault(Impact.DRIFT, 0L),
                executionId);
    }

    public void deleteStaging(long executionId) {
        for (String table : STAGING) {
            jdbc.update("delete from " + table + " where execution_id = ?", executionId);
        }
    }

    public Sources sources(long executionId) {
        return new Sources(
                count("select count(*) from reconcile_pool where execution_id = ?", executionId),
                count("select count(*) from reconcile_virtual where execution_id = ?", executionId),
                count("select count(*) from reconcile_available where execution_id = ?", executionId),
                count("select count(*) from reconcile_on_hand where execution_id = ?", executionId),
                syncedPositionsCompared(executionId));
    }

    private long syncedPositionsCompared(long executionId) {
        return count(
                "select count(*) from synced_position s where s.target = 'omni' and (not exists"
                        + " (select 1 from reconcile_sku_filter f where f.execution_id = ?) or s.sku in"
                        + " (select f.sku from reconcile_sku_filter f where f.execution_id = ?))",
                executionId,
                executionId);
    }

    private int count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n.intValue();
    }

    public Map<DiscrepancyClass, Long> countsByClass(long executionId) {
        return byClass("count(*)", executionId);
    }

    public Map<DiscrepancyClass, Long> unitsByClass(long executionId) {
        return byClass("sum(abs_difference)", executionId);
    }

    private Map<DiscrepancyClass, Long> byClass(String aggregate, long executionId) {
        Map<DiscrepancyClass, Long> result = new EnumMap<>(DiscrepancyClass.class);
        jdbc.query(
                "select discrepancy_class, " + aggregate
                        + " from reconcile_discrepancy where execution_id = ? group by discrepancy_class",
                rs -> {
                    result.put(DiscrepancyClass.valueOf(rs.getString(1)), rs.getLong(2));
                },
                executionId);
        return result;
    }

    /** Chart rows: each pool, the locations in no pool, and the synced comparison per location. */
    public List<GroupCount> byGroup(long executionId) {
        return jdbc.query(
                "select case when pool_name is not null then pool_group || ' / ' || pool_name"
                        + " when comparison = 'SYNCED' then 'synced at ' || location else '(locations in no pool)' end as grp,"
                        + " discrepancy_class, count(*) from reconcile_discrepancy where execution_id = ?"
                        + " group by grp, comparison, discrepancy_class order by comparison, grp, discrepancy_class",
                (rs, i) -> new GroupCount(rs.getString(1), DiscrepancyClass.valueOf(rs.getString(2)), rs.getLong(3)),
                executionId);
    }

    public List<Discrepancy> top(long executionId, int limit) {
        return jdbc.query(
                "select * from reconcile_discrepancy where execution_id = ?"
                        + " order by abs_difference desc, comparison, pool_group, pool_name, location, sku, id limit ?",
                (rs, i) -> discrepancy(rs),
                executionId,
                limit);
    }

    /** Every discrepancy of a run, in report order, one at a time. */
    public void forEachDiscrepancy(long executionId, Consumer<Discrepancy> consumer) {
        jdbc.query(
                "select * from reconcile_discrepancy where execution_id = ?"
                        + " order by comparison, discrepancy_class, pool_group, pool_name, location, sku, id",
                rs -> {
                    consumer.accept(discrepancy(rs));
                },
                executionId);
    }

    public List<Discrepancy> discrepancies(long executionId) {
        List<Discrepancy> all = new ArrayList<>();
        forEachDiscrepancy(executionId, all::add);
        return all;
    }

    /** This job's completed runs up to and including {@code executionId}, oldest first, at most {@code limit}. */
    public List<TrendPoint> trend(String jobName, long executionId, int limit) {
        List<TrendPoint> newestFirst = jdbc.query(
                "select execution_id, started_at, discrepancies, oversell_risk, lost_sales, drift"
                        + " from reconcile_run where job_name = ? and execution_id <= ? and status = 'COMPLETED'"
                        + " order by execution_id desc limit ?",
                (rs, i) -> new TrendPoint(
                        rs.getLong(1),
                        rs.getTimestamp(2).toInstant(),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6)),
                jobName,
                executionId,
                limit);
        List<TrendPoint> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    public Optional<RunRecord> run(long executionId) {
        return jdbc
                .query(
                        "select * from reconcile_run where execution_id = ?",
                        (rs, i) -> new RunRecord(
                                rs.getLong("execution_id"),
                                rs.getString("job_name"),
                                rs.getTimestamp("started_at").toInstant(),
                                rs.getString("status"),
                                rs.getInt("tolerance"),
                                rs.getInt("alert_threshold"),
                                rs.getString("output_dir"),
                                rs.getLong("discrepancies")),
                        executionId)
                .stream()
                .findFirst();
    }

    /** A run as recorded. */
    public record RunRecord(
            long executionId,
            String jobName,
            Instant startedAt,
            String status,
            int tolerance,
            int alertThreshold,
            String outputDir,
            long discrepancies) {}

    static Discrepancy discrepancy(ResultSet rs) throws SQLException {
        return new Discrepancy(
                DiscrepancyClass.valueOf(rs.getString("discrepancy_class")),
                rs.getString("pool_group"),
                rs.getString("pool_name"),
                rs.getString("location"),
                rs.getString("sku"),
                rs.getObject("expected", Integer.class),
                rs.getObject("actual", Integer.class),
                rs.getInt("difference"),
                rs.getObject("relative", Double.class),
                rs.getString("detail"));
    }
}
