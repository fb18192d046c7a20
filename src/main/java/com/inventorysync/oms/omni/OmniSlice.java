package com.inventorysync.oms.omni;

import com.inventorysync.http.AdaptiveLimiter;
import com.inventorysync.http.HttpProperties;
import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.oms.OmsRun;
import com.inventorysync.oms.OmsSlice;
import com.inventorysync.oms.PlanFile;
import com.inventorysync.oms.PlanGuard;
import com.inventorysync.ops.Progress;
import com.inventorysync.ops.ProgressProperties;
import com.inventorysync.ops.SyncMetrics;
import com.inventorysync.partition.LocationPartitions;
import com.inventorysync.partition.Partition;
import com.inventorysync.partition.PartitionWorkerSteps;
import com.inventorysync.partition.PartitionedSteps;
import com.inventorysync.partition.WorkerStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Omni's part of the nightly sync:
 * <pre>
 * supersede -> plan -> (guard) -> resolve -> send -> settle
 * </pre>
 * {@code supersede} settles what earlier runs of Omni left open ({@link SupersededRuns}); {@code plan}
 * computes the updates in SQL ({@link SyncPlanner}); {@code resolve} settles this run's updates of
 * unknown outcome ({@link UnknownOutcomeResolver}); {@code send} sends the PENDING ones
 * ({@link OnHandSender}) and runs again on every restart; {@code settle} fails a run that left any
 * update unsent or unknown.
 *
 * <p>With partitioning on ({@code inventory-sync.partitioning.*}), {@code plan} and {@code send}
 * are manager steps whose partitions ({@code plan-partition:p<n>}, {@code send-partition:p<n>})
 * each plan or send the updates of their share of the locations, on this process's pool or on
 * remote workers.
 */
@Configuration(proxyBeanMethods = false)
public class OmniSlice implements OmsSlice, PartitionWorkerSteps {
    static final String PLAN_PARTITION = "plan-partition";
    static final String SEND_PARTITION = "send-partition";

    private static final Logger log = LoggerFactory.getLogger(OmniSlice.class);
    private static final Logger planProgress = LoggerFactory.getLogger(Progress.LOGGER_PREFIX + "plan");

    /** The locations whose inventory another system masters in a run: their updates are skipped. */
    @FunctionalInterface
    public interface MasteredLocations {
        Set<String> of(long runId);
    }

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final OmsRun run;
    private final ObjectProvider<OmniClient> omni;
    private final ObjectProvider<PendingUpdatesReader> pendingUpdates;
    private final ObjectProvider<OnHandSender> onHandSender;
    private final ObjectProvider<SupersededRuns> supersededRuns;
    private final ObjectProvider<PlannedUpdateStore> store;
    private final PartitionedSteps partitioned;
    private final WorkerStep planPartition;
    private final WorkerStep sendPartition;

    public OmniSlice(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            DataSource dataSource,
            OmsRun run,
            ObjectProvider<OmniClient> omni,
            ObjectProvider<PendingUpdatesReader> pendingUpdates,
            ObjectProvider<OnHandSender> onHandSender,
            ObjectProvider<SupersededRuns> supersededRuns,
            ObjectProvider<PlannedUpdateStore> store,
            PartitionedSteps partitioned) {
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.run = run;
        this.omni = omni;
        this.pendingUpdates = pendingUpdates;
        this.onHandSender = onHandSender;
        this.supersededRuns = supersededRuns;
        this.store = store;
        this.partitioned = partitioned;
        this.planPartition = new WorkerStep(PLAN_PARTITION, this::planPartitionStep);
        this.sendPartition = new WorkerStep(SEND_PARTITION, () -> sendStep(SEND_PARTITION, run.definition()));
    }

    @Override
    public List<WorkerStep> workerSteps() {
        return List.of(planPartition, sendPartition);
    }

    @Override
    public String target() {
        return SyncPlanner.OMNI;
    }

    @Override
    public boolean configuredIn(JobDefinition definition) {
        return definition.omni() != null;
    }

    @Override
    public List<Step> planSteps(JobDefinition definition) {
        return partitioned.settings().partitioned()
                ? List.of(supersedeStep(), partitionedPlanStep(), balanceSendsStep())
                : List.of(supersedeStep(), planStep());
    }

    @Override
    public Optional<String> guardRefusal(StepExecution step, OmsRun run) {
        PlanGuard.Verdict verdict = new PlanGuard(jdbc)
                .check(run.runId(), target(), run.definition().guard());
        return verdict.refused() ? Optional.of(verdict.refusal()) : Optional.empty();
    }

    @Override
    public void writeDryRunPlan(OmsRun run) {
        new PlanFile(jdbc).write(run.runId(), target(), run.outputDir().resolve("plan.csv"));
    }

    @Override
    public List<Step> sendSteps(JobDefinition definition) {
        Step send = partitioned.settings().partitioned()
                ? partitioned.partitioned(
                        "send", sendPartition, grid -> partitioned.locations().partitionsOf(run.runId()), true)
                : sendStep("send", definition);
        return List.of(resolveStep(), send, settleStep());
    }

    @Override
    public List<String> summaryLines(long runId) {
        // Omni's counts are the run summary's own (RunSummaries reads planned_update).
        return List.of();
    }

    /**
     * Settles what earlier runs of Omni left open before this run plans on their baselines. A dry
     * run changes nothing of other runs: it only says what it saw.
     */
    Step supersedeStep() {
        return new StepBuilder("supersede", jobRepository)
                .tasklet(
                        (contribution, context) -> {
                            if (run.dryRun()) {
                                int open = store.getObject()
                                        .withUnknownOutcomeInOtherRuns(run.runId(), target())
                                        .size();
                                if (open > 0) {
                                    log.warn(
                                            "run {}: {} update(s) of earlier runs have an unknown outcome; this dry run's plan does not account"
                                                    + " for them (a real run reads them back first)",
                                            run.runId(),
                                            open);
                                }
                                return RepeatStatus.FINISHED;
                            }
                            supersededRuns.getObject().settle(run.runId(), target(), omni.getObject());
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    /** A few SQL statements: no percentage to tell, only that it started, with what, and what came of it. */
    Step planStep() {
        return new StepBuilder("plan", jobRepository)
                .tasklet(
                        (contribution, context) -> {
                            plan(
                                    Partition.WHOLE,
                                    false,
                                    context.getStepContext().getStepExecution());
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    /**
     * The plan in partitions: the snapshot is compared once for all of them and the run's locations
     * are spread over the partitions by their changes, in one transaction; then each partition
     * writes its own share.
     */
    Step partitionedPlanStep() {
        return partitioned.partitioned(
                "plan",
                planPartition,
                grid -> new TransactionTemplate(transactionManager)
                        .execute(status -> new SyncPlanner(jdbc)
                                .compareForPartitions(
                                        run.runId(), run.definition().omni().missing(), grid)),
                false);
    }

    /** After a partitioned plan, once: the updates spread over the send partitions by their number, not by the snapshot's rows. */
    private Step balanceSendsStep() {
        return new StepBuilder("balance-sends", jobRepository)
                .tasklet(
                        (contribution, context) -> {
                            LocationPartitions partitions = partitioned.locations();
                            int count = partitions.partitionsOf(run.runId());
                            if (partitions.balancePending(run.runId(), SyncPlanner.OMNI, count)) {
                                log.info(
                                        "run {}: the updates to send sat unevenly in the plan's {} partitions:"
                                                + " spread again by key",
                                        run.runId(),
                                        count);
                            }
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    private Step planPartitionStep() {
        return new StepBuilder(PLAN_PARTITION, jobRepository)
                .tasklet(
                        (contribution, context) -> {
                            StepExecution step = context.getStepContext().getStepExecution();
                            plan(Partition.of(step.getExecutionContext()), true, step);
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    /** The whole plan, or one partition's share of the comparison made before the partitions ({@code share}). */
    private void plan(Partition partition, boolean share, StepExecution step) {
        long started = System.nanoTime();
        long staged = staged(step);
        planProgress.info(
                "plan{}: comparing {} staged rows with the counts last synced",
                partition.label(),
                Progress.number(staged));
        SyncPlanner planner = new SyncPlanner(jdbc);
        SyncPlanner.Plan plan = share
                ? planner.plan(run.runId(), partition)
                : planner.plan(run.runId(), run.definition().omni().missing());
        planProgress.info(
                "plan{}: {} updates planned from {} staged rows in {}",
                partition.label(),
                Progress.number(plan.planned()),
                Progress.number(staged),
                Progress.duration(Duration.ofNanos(System.nanoTime() - started)));
        log.info(
                "run {}{}: {} updates planned ({} new keys, {} changed, {} missing set to zero)",
                run.runId(),
                partition.label(),
                plan.planned(),
                plan.newKeys(),
                plan.changed(),
                plan.zeroedMissing());
    }

    /**
     * Before anything is sent, settles what an earlier execution of this run left open: updates
     * with no answer (UNKNOWN) or in flight when its process died (IN_FLIGHT). Runs on every
     * restart, even when it completed before, because the send step that follows it may have
     * left new ones.
     */
    Step resolveStep() {
        return new StepBuilder("resolve", jobRepository)
                .tasklet(
                        (contribution, context) -> {
                            List<PlannedUpdate> open = store.getObject().withUnknownOutcome(run.runId(), target());
                            if (!open.isEmpty()) {
                                UnknownOutcomeResolver.Resolution r = new UnknownOutcomeResolver(
                                                omni.getObject(), store.getObject())
                                        .resolveWhenSettled(open);
                                log.warn(
                                        "run {}: {} update(s) had an unknown outcome: {} found applied by reading back, {} to send again, {} held",
                                        run.runId(),
                                        open.size(),
                                        r.applied(),
                                        r.toResend().size(),
                                        r.held());
                            }
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    /**
     * Runs on every restart, even when it completed before: resolve may have put updates back in the
     * queue. A partition of it does not: a completed partition left nothing open.
     */
    Step sendStep(String name, JobDefinition definition) {
        return new StepBuilder(name, jobRepository)
                .<PlannedUpdate, PlannedUpdate>chunk(definition.chunkSize())
                .transactionManager(transactionManager)
                .reader(pendingUpdates.getObject())
                .writer(onHandSender.getObject())
                .allowStartIfComplete(!name.equals(SEND_PARTITION))
                .build();
    }

    Step settleStep() {
        return new StepBuilder("settle", jobRepository)
                .tasklet(
                        (contribution, context) -> {
                            Long open = jdbc.queryForObject(
                                    "select count(*) from planned_update where run_id = ? and target = ? "
                                            + "and state in ('UNKNOWN', 'IN_FLIGHT', 'PENDING')",
                                    Long.class,
                                    run.runId(),
                                    target());
                            if (open != null && open > 0) {
                                throw new UnresolvedUpdatesException(
                                        open + " update(s) of this run have an unknown outcome or were not sent;"
                                                + " restart the run: it reads the unknown ones back once settled and sends what was not applied");
                            }
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    /**
     * The rows the run staged, as finish-ingest counted them; counted again only when that step ran
     * in an execution this one does not hold (a count of ten million rows takes seconds).
     */
    private long staged(StepExecution step) {
        return step.getJobExecution().getStepExecutions().stream()
                .filter(s -> s.getExecutionContext().containsKey(OmsRun.ROWS_STAGED))
                .mapToLong(s -> s.getExecutionContext().getLong(OmsRun.ROWS_STAGED))
                .findFirst()
                .orElseGet(() -> jdbc.queryForObject(
                        "select count(*) from snapshot_row where run_id = ?", Long.class, run.runId()));
    }

    // ---- step-scoped reader and writer ----------------------------------------------------------

    /**
     * The run's PENDING updates in id order. Restart position comes from the states, not from a
     * saved offset: what was applied is no longer PENDING, so a restart resumes exactly there.
     */
    @Bean
    @StepScope
    public PendingUpdatesReader pendingUpdates(
            OmsRun run,
            DataSource dataSource,
            OnHandSender onHandSender,
            @Value("#{stepExecution.executionContext}") ExecutionContext step)
            throws Exception {
        Partition partition = Partition.of(step);
        JdbcPagingItemReader<PlannedUpdate> pending = new JdbcPagingItemReaderBuilder<PlannedUpdate>()
                .name("pendingUpdates")
                .dataSource(dataSource)
                .selectClause("select " + PlannedUpdateStore.COLUMNS)
                .fromClause("from planned_update")
                .whereClause("where run_id = " + run.runId() + " and target = '" + SyncPlanner.OMNI
                        + "' and state = 'PENDING'"
                        + (partition.count() == 1 ? "" : " and partition_no = " + partition.index()))
                .sortKeys(Map.of("id", Order.ASCENDING))
                .pageSize(run.definition().chunkSize())
                .rowMapper(PlannedUpdateStore.ROW_MAPPER)
                .saveState(false)
                .build();
        pending.afterPropertiesSet();
        return new PendingUpdatesReader(pending, onHandSender);
    }

    @Bean(destroyMethod = "close")
    @StepScope
    public OnHandSender onHandSender(
            OmsRun run,
            DataSource dataSource,
            @Lazy OmniClient omni,
            PlannedUpdateStore store,
            SyncMetrics metrics,
            MasteredLocations mastered,
            ProgressProperties progress,
            @Value("#{stepExecution.executionContext}") ExecutionContext step) {
        Partition partition = Partition.of(step);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Map<String, Object> answered = jdbc.queryForMap(
                "select count(*) as answered, "
                        + "coalesce(sum(case when state = 'REJECTED' then 1 else 0 end), 0) as rejected "
                        + "from planned_update where run_id = ? and target = ? and state in ('APPLIED', 'REJECTED')",
                run.runId(),
                SyncPlanner.OMNI);
        var rejectedShare = new OnHandSender.RejectedShare(
                run.definition().guard().maxRejectedShare(),
                ((Number) answered.get("answered")).longValue(),
                ((Number) answered.get("rejected")).longValue());
        // The job's concurrency is shared by the partitions: each has its share of senders.
        int concurrency = Math.max(1, ceilDiv(run.definition().concurrency(), partition.count()));
        Long pending = jdbc.queryForObject(
                "select count(*) from planned_update where run_id = ? and target = ? and state = 'PENDING'"
                        + (partition.count() == 1 ? "" : " and partition_no = " + partition.index()),
                Long.class,
                run.runId(),
                SyncPlanner.OMNI);
        // The job's concurrency is the ceiling; the limiter, shared by every sender of this process, finds the OMS's
        // limit.
        AdaptiveLimiter limiter = omni.limiter();
        Progress sendProgress = Progress.start("send" + partition.label(), pending, progress.interval());
        if (limiter != null) {
            limiter.startRun("omni run " + run.runId() + " execution " + run.executionId());
            limiter.configure(new AdaptiveLimiter.Settings(
                    run.definition().concurrency(),
                    run.definition().omni().rateLimit(),
                    run.definition().adaptive()));
            sendProgress.detail(limiter::describe);
        }
        // Room for a whole chunk more than the senders hold, so they keep busy while the next chunk is read.
        return new OnHandSender(
                omni,
                store,
                concurrency,
                run.definition().chunkSize() + concurrency,
                mastered.of(run.runId()),
                rejectedShare,
                metrics.registry(),
                sendProgress);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    // ---- services -------------------------------------------------------------------------------

    @Bean
    public PlannedUpdateStore plannedUpdateStore(
            DataSource dataSource, PlatformTransactionManager transactionManager, HttpProperties http) {
        return new PlannedUpdateStore(new JdbcTemplate(dataSource), transactionManager, http.settleTime());
    }

    @Bean
    public SupersededRuns supersededRuns(
            PlannedUpdateStore store, JobOperator jobOperator, SupersededRuns.LiveExecutions live) {
        return new SupersededRuns(store, jobRepository, jobOperator, live);
    }
}
