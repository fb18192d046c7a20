package com.inventorysync.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The meters of a run as a whole, recorded once as it ends, from what it stored: its summary
 * (rows, updates, status, duration), the job's last completed run (from the database, so that it
 * survives processes) and a reconciliation's result. Dashboards and alerts are written against
 * these names and tags (docs/monitoring.md); they never carry a secret, a SKU or a location.
 * <p>
 * Counters are <em>set</em> to the run's figures rather than added to, so that they read the same
 * in the Pushgateway however many runs a process has seen: each pushed group holds one run.
 */
@Component
public class RunMetrics {
    public static final String ROWS = "inventorysync.rows";
    public static final String UPDATES = "inventorysync.updates";
    public static final String RUN = "inventorysync.run";
    public static final String LAST_SUCCESS = "inventorysync.run.last.success";
    public static final String DISCREPANCIES = "inventorysync.reconcile.discrepancies";
    public static final String UNITS = "inventorysync.reconcile.units";
    public static final String ALERT_THRESHOLD = "inventorysync.reconcile.alert.threshold";

    /** planned_update states by the outcome tag they count under; PENDING and SUPERSEDED count only as planned. */
    private static final Map<String, String> OUTCOME_OF_STATE = Map.of(
            "APPLIED",
            "applied",
            "REJECTED",
            "rejected",
            "UNKNOWN",
            "unknown",
            "IN_FLIGHT",
            "unknown",
            "POSTED",
            "unknown",
            "QUEUED",
            "unknown",
            "HELD",
            "held",
            "SKIPPED",
            "skipped");

    private static final String OMNI = "omni";

    private final MeterRegistry registry;
    private final JdbcTemplate jdbc;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();
    private final Set<Long> open = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Recorded> recorded = new AtomicReference<>();

    public RunMetrics(SyncMetrics metrics, JdbcTemplate jdbc) {
        this.registry = metrics.registry();
        this.jdbc = jdbc;
    }

    /** Which job's meters this process recorded last, and from which command; empty before any run ended. */
    public record Recorded(String job, String command) {}

    public Optional<Recorded> recorded() {
        return Optional.ofNullable(recorded.get());
    }

    /** A sync execution began: {@link #awaitRecorded} waits for its end to be recorded. */
    public void syncRunStarted(long executionId) {
        open.add(executionId);
    }

    /**
     * A sync execution ended (completed, failed, stopped): its rows, its updates per OMS, its
     * duration by status, and the end of the job's last completed run.
     */
    public void syncRunEnded(RunSummary summary) {
        String job = summary.jobName();
        set(ROWS, "rows of the run's snapshot", Tags.of("job", job, "outcome", "read"), summary.read());
        set(ROWS, "rows of the run's snapshot", Tags.of("job", job, "outcome", "staged"), summary.staged());
        set(ROWS, "rows of the run's snapshot", Tags.of("job", job, "outcome", "rejected"), summary.rejectedRows());
        for (Map.Entry<String, Map<String, Long>> target :
                updatesByTarget(summary).entrySet()) {
            target.getValue()
                    .forEach((outcome, n) -> set(
                            UPDATES,
                            "planned updates of the run by outcome",
                            Tags.of("job", job, "target", target.getKey(), "outcome", outcome),
                            n));
        }
        Timer.builder(RUN)
                .description("sync runs by how they ended")
                .tags(Tags.of(
                        "job",
                        job,
                        "status",
                        summary.status(),
                        "exit",
                        summary.exitCode() == null ? "" : summary.exitCode()))
                .register(registry)
                .record(Duration.ofMillis(Math.max(0, summary.durationMs())));
        lastSuccess(job)
                .ifPresent(epochSeconds -> gauge(
                        LAST_SUCCESS,
                        "end of the job's last COMPLETED sync run, epoch",
                        "seconds",
                        Tags.of("job", job),
                        epochSeconds));
        recorded.set(new Recorded(job, "sync"));
    }

    /** The end of a sync execution is handled, recorded or not (its summary may have failed): nothing more will come of it. */
    public void syncRunClosed(long executionId) {
        open.remove(executionId);
        synchronized (open) {
            open.notifyAll();
        }
    }

    /**
     * A reconciliation finished: discrepancies and units per class (every class, zeros included, so
     * that a class going back to none shows), and the threshold over which it alerts. Run by a
     * sync ({@code reconcile: {after-sync: true}}), its meters go out with the sync's.
     *
     * @param countsByClass discrepancies per class name; classes absent count 0
     * @param unitsByClass the sum of absolute differences per class name
     */
    public void reconciled(
            String job,
            Set<String> classes,
            Map<String, Long> countsByClass,
            Map<String, Long> unitsByClass,
            int alertThreshold) {
        for (String c : classes) {
            gauge(
                    DISCREPANCIES,
                    "discrepancies the last reconciliation found",
                    null,
                    Tags.of("job", job, "class", c),
                    countsByClass.getOrDefault(c, 0L));
            gauge(
                    UNITS,
                    "units the last reconciliation's discrepancies differ by",
                    null,
                    Tags.of("job", job, "class", c),
                    unitsByClass.getOrDefault(c, 0L));
        }
        gauge(
                ALERT_THRESHOLD,
                "discrepancies a reconciliation may find before it alerts",
                null,
                Tags.of("job", job),
                alertThreshold);
        recorded.set(new Recorded(job, open.isEmpty() ? "reconcile" : "sync"));
    }

    /** Waits until every sync execution this process began has had its end recorded, at most {@code timeout}. */
    public boolean awaitRecorded(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (open) {
            try {
                for (long left = deadline - System.nanoTime();
                        !open.isEmpty() && left > 0;
                        left = deadline - System.nanoTime()) {
                    open.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return open.isEmpty();
        }
    }

    private Map<String, Map<String, Long>> updatesByTarget(RunSummary summary) {
        Map<String, Map<String, Long>> byTarget = new LinkedHashMap<>();
        // Omni's figures are the summary's own, so that the metrics and the summary file never disagree.
        byTarget.put(
                OMNI,
                outcomes(
                        summary.planned(),
                        summary.applied(),
                        summary.rejectedByOms(),
                        summary.unknown(),
                        summary.held(),
                        summary.skippedByMastership()));
        Map<String, Map<String, Long>> states = new LinkedHashMap<>();
        jdbc.query(
                "select target, state, count(*) from planned_update where run_id = ? and target <> ? group by target, state",
                rs -> {
                    states.computeIfAbsent(rs.getString(1), t -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getLong(3));
                },
                summary.runId(),
                OMNI);
        states.forEach((target, counts) -> {
            Map<String, Long> outcomes =
                    outcomes(counts.values().stream().mapToLong(Long::longValue).sum(), 0, 0, 0, 0, 0);
            counts.forEach((state, n) -> {
                String outcome = OUTCOME_OF_STATE.get(state);
                if (outcome != null) {
                    outcomes.merge(outcome, n, Long::sum);
                }
            });
            byTarget.put(target, outcomes);
        });
        return byTarget;
    }

    private static Map<String, Long> outcomes(
            long planned, long applied, long rejected, long unknown, long held, long skipped) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("planned", planned);
        m.put("applied", applied);
        m.put("rejected", rejected);
        m.put("unknown", unknown);
        m.put("held", held);
        m.put("skipped", skipped);
        return m;
    }

    private Optional<Long> lastSuccess(String job) {
        Timestamp end = jdbc.queryForObject(
                "select max(ended_at) from sync_run_summary where job_name = ? and status = 'COMPLETED'",
                Timestamp.class,
                job);
        return Optional.ofNullable(end).map(t -> t.toInstant().getEpochSecond());
    }

    /** A counter that reads {@code value}; registered once per name and tags, set again by a later run of the process. */
    private void set(String name, String description, Tags tags, long value) {
        values.computeIfAbsent(key(name, tags), k -> {
                    AtomicLong holder = new AtomicLong();
                    FunctionCounter.builder(name, holder, AtomicLong::get)
                            .description(description)
                            .tags(tags)
                            .register(registry);
                    return holder;
                })
                .set(value);
    }

    /** A gauge that reads {@code value}; registered once per name and tags, set again by a later run of the process. */
    private void gauge(String name, String description, String baseUnit, Tags tags, long value) {
        values.computeIfAbsent(key(name, tags), k -> {
                    AtomicLong holder = new AtomicLong();
                    Gauge.builder(name, holder, AtomicLong::get)
                            .description(description)
                            .baseUnit(baseUnit)
                            .tags(tags)
                            .strongReference(true)
                            .register(registry);
                    return holder;
                })
                .set(value);
    }

    private static String key(String name, Tags tags) {
        StringBuilder key = new StringBuilder(name);
        tags.forEach(t -> key.append('|').append(t.getKey()).append('=').append(t.getValue()));
        return key.toString();
    }
}
