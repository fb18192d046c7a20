package com.inventorysync.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the HTML report shows about one run, gathered from the database so that the report
 * never needs all discrepancies in memory.
 *
 * @param countsByClass number of discrepancies per class (classes without any may be absent)
 * @param unitsByClass the sum of absolute differences per class
 * @param byGroup counts per chart row (a pool, the unpooled locations, or a synced location) and class
 * @param top the largest discrepancies, largest first
 * @param trend this job's runs, oldest first, this run last
 */
public record ReconcileReport(
        String jobName,
        long executionId,
        Instant startedAt,
        int tolerance,
        int alertThreshold,
        Sources sources,
        Map<DiscrepancyClass, Long> countsByClass,
        Map<DiscrepancyClass, Long> unitsByClass,
        List<GroupCount> byGroup,
        List<Discrepancy> top,
        List<TrendPoint> trend,
        String csvFileName) {

    /** How many rows each side of the comparison had. */
    public record Sources(
            int pools, long virtualCounts, long availableCounts, long onHandCounts, long syncedPositions) {}

    /** One chart row and class: {@code group} is e.g. {@code WEB / WEB-EAST}. */
    public record GroupCount(String group, DiscrepancyClass discrepancyClass, long count) {}

    /** One run of the job, for the trend. */
    public record TrendPoint(
            long executionId, Instant startedAt, long total, long oversellRisk, long lostSales, long drift) {}

    public long total() {
        return countsByClass.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean overThreshold() {
        return total() > alertThreshold;
    }

    public long units(Impact impact) {
        return unitsByClass.entrySet().stream()
                .filter(e -> e.getKey().impact() == impact)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    public long count(Impact impact) {
        return countsByClass.entrySet().stream()
                .filter(e -> e.getKey().impact() == impact)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}
