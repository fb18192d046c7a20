package com.inventorysync.job;

import com.inventorysync.ingest.IngestFinisher;
import com.inventorysync.ingest.IngestedRow;
import com.inventorysync.ingest.KnownLocations;
import com.inventorysync.ingest.SnapshotBlockReader;
import com.inventorysync.ingest.SnapshotCsvReader;
import com.inventorysync.ingest.SnapshotHeader;
import com.inventorysync.ingest.SnapshotLine;
import com.inventorysync.ingest.SnapshotRowValidator;
import com.inventorysync.ingest.StagingWriter;
import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.jobdef.JobDefinition.KiboTarget;
import com.inventorysync.ops.GracefulStop;
import com.inventorysync.ops.HeldUpdates;
import com.inventorysync.ops.JobRunLock;
import com.inventorysync.ops.RunSummaries;
import com.inventorysync.ops.SyncMetrics;
import com.inventorysync.oms.GuardRefusedException;
import com.inventorysync.oms.PlanFile;
import com.inventorysync.oms.PlanGuard;
import com.inventorysync.oms.omni.PlannedUpdate;
import com.inventorysync.oms.omni.PlannedUpdateStore;
import com.inventorysync.oms.omni.SyncPlanner;
import com.inventorysync.http.HttpProperties;
import com.inventorysync.oms.kibo.KiboReport;
import com.inventorysync.oms.kibo.KiboRequestStore;
import com.inventorysync.oms.kibo.KiboSteps;
import com.inventorysync.oms.omni.OmniClient;
import com.inventorysync.oms.newstore.NewStoreClient;
import com.inventorysync.oms.omni.OnHandSender;
import com.inventorysync.oms.omni.PendingUpdatesReader;
import com.inventorysync.oms.omni.UnknownOutcomeResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.FlowJobBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
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

/**
 * The nightly sync, top to bottom: read Omni's locations, ingest the snapshot, reject
 * duplicates, plan, guard, send, settle. Built per launch from its job definition (chunk size
 * and concurrency come from it); the run-specific readers and writers are step-scoped beans.
 * <pre>
 * locations -> ingest -> finish-ingest -> kiboOptionalFields -> supersede -> plan -> kiboPlan -> guard -(DRY_RUN)-> end
 *                                                                    \-> resolve -> send -> settle -> kiboBuildRequests -> kiboSend -> kiboPoll
 * (Omni's steps only with an 'omni' section, the Kibo steps only with a 'kibo' section)
 * </pre>
 */
@Configuration(proxyBeanMethods = false)
public class SyncJobConfiguration {
    private static final Logger log = LoggerFactory.getLogger(SyncJobConfiguration.class);

    /** Ingest commits every this many rows at least: staging is cheap per row, commits are not. */
    static final int MIN_INGEST_CHUNK = 20_000;

    private static final String INGEST = "ingest";

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final SyncProperties properties;
    private final KiboSteps kiboSteps;

    private final ObjectProvider<ReconcileLauncher> reconcile;
    private final GracefulStop gracefulStop;

    public SyncJobConfiguration(JobRepository jobRepository, PlatformTransactionManager transactionManager, DataSource dataSource,
                                SyncProperties properties, ObjectProvider<ReconcileLauncher> reconcile, KiboSteps kiboSteps,
                                GracefulStop gracefulStop) {
        this.reconcile = reconcile;
        this.gracefulStop = gracefulStop;
        this.kiboSteps = kiboSteps;
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.properties = properties;
    }

    // ---- the job ------------------------------------------------------------------------------

    /** The job for one job definition. */
    public Job syncJob(JobDefinition definition, SyncJobBeans beans) {
        Step guard = guardStep(beans);
        // Which targets run depends on the definition's sections: Omni's steps for 'omni:', the Kibo
        // target's (KiboSteps: its plan before the guard, its sending after Omni's) for 'kibo:'.
        SimpleJobBuilder planned = new JobBuilder(SyncJobParameters.JOB_NAME, jobRepository)
                .listener(beans.listener())
                .listener(gracefulStop)
                .start(locationsStep(beans))
                .next(ingestStep(definition, beans))
                .next(finishIngestStep());
        if (definition.kibo() != null) {
            planned = planned.next(kiboSteps.optionalFieldsStep(this::kiboTarget,
                    step -> new KiboSteps.Snapshot(run(step).snapshot(), run(step).definition().source().columns())));
        }
        List<Step> sending = new ArrayList<>();
        if (definition.omni() != null) {
            planned = planned.next(supersedeStep(beans)).next(planStep());
            sending.add(resolveStep(beans));
            sending.add(sendStep(definition, beans));
            sending.add(settleStep());
        }
        if (definition.kibo() != null) {
            planned = planned.next(kiboSteps.planStep(this::kiboTarget));
            sending.add(kiboSteps.buildStep(this::kiboTarget));
            sending.add(kiboSteps.sendStep(this::kiboTarget));
            sending.add(kiboSteps.pollStep(this::kiboTarget));
        }
        FlowBuilder<FlowJobBuilder> flow = planned.next(guard)
                .on(SyncExitCodes.DRY_RUN).end()
                .from(guard).on(ExitStatus.COMPLETED.getExitCode()).to(sending.get(0));
        for (Step step : sending.subList(1, sending.size())) {
            flow = flow.next(step);
        }
        if (definition.reconcile().afterSync()) {
            // reconcile: {after-sync: true}: the reconcile job runs as the last step, as a job of its own
            flow = flow.next(reconcile.getObject().afterSyncStep());
        }
        // A refusal (or any other failure of the guard) must never fall through to sending.
        return flow.from(guard).on("*").fail()
                .end()
                .build();
    }

    private KiboTarget kiboTarget(StepExecution step) {
        return run(step).definition().kibo();
    }

    /** The beans a job needs, gathered so that {@link #syncJob} reads like the flow it builds. */
    public record SyncJobBeans(OmniClient omni, KnownLocations knownLocations, SnapshotBlockReader snapshotReader,
                               SnapshotRowValidator snapshotValidator, StagingWriter stagingWriter,
                               PendingUpdatesReader pendingUpdates, OnHandSender onHandSender,
                               SyncJobListener listener, ObjectProvider<NewStoreClient> newStore,
                               PlannedUpdateStore plannedUpdates, SupersededRuns supersededRuns) {
    }

    private SyncRun run(ChunkContext context) {
        return SyncRun.of(context.getStepContext().getStepExecution().getJobExecution(), properties.outputDir());
    }

    private SyncRun run(StepExecution step) {
        return SyncRun.of(step.getJobExecution(), properties.outputDir());
    }

    Step locationsStep(SyncJobBeans beans) {
        return new StepBuilder("locations", jobRepository).tasklet((contribution, context) -> {
            SyncRun run = run(context);
            if (run.definition().omni() == null) {
                // A Kibo-only job: the known locations are those its kibo section maps.
                beans.knownLocations().store(run.runId(), run.definition().kibo().locations().keySet());
                log.info("run {}: {} Kibo locations", run.runId(), run.definition().kibo().locations().size());
                return RepeatStatus.FINISHED;
            }
            var active = beans.omni().activeLocations();
            boolean storesMastered = run.definition().newstore().readsStoreMastership()
                    && beans.newStore().getObject().externalOmsEnabled();
            beans.knownLocations().store(run.runId(), active, run.definition().omni(), storesMastered);
            log.info("run {}: {} active Omni inventory locations{}", run.runId(), active.size(),
                    storesMastered ? "; NewStore masters store inventory: store counts are not sent" : "");
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    /** Each item is a block of records, as many as one commit holds: a chunk is one block. */
    Step ingestStep(JobDefinition definition, SyncJobBeans beans) {
        return new StepBuilder(INGEST, jobRepository)
                .<List<SnapshotLine>, List<IngestedRow>>chunk(1)
                .transactionManager(transactionManager)
                .reader(beans.snapshotReader())
                .processor(beans.snapshotValidator())
                .writer(beans.stagingWriter())
                .build();
    }

    Step finishIngestStep() {
        return new StepBuilder("finish-ingest", jobRepository).tasklet((contribution, context) -> {
            SyncRun run = run(context);
            // Only an ingest step of this execution can vouch for the keys; a restart after it searches in SQL.
            boolean keysUnique = context.getStepContext().getStepExecution().getJobExecution().getStepExecutions().stream()
                    .anyMatch(step -> step.getStepName().equals(INGEST) && StagingWriter.keysUnique(step.getExecutionContext()));
            IngestFinisher.Result r = new IngestFinisher(jdbc).finish(run.runId(), run.snapshot(), run.rejectFile(),
                    run.definition().skipLimit(), keysUnique);
            context.getStepContext().getStepExecution().getExecutionContext().putLong("rows.read", r.read());
            log.info("run {}: {} rows read, {} staged, {} rejected ({} as duplicate keys)", run.runId(), r.read(), r.staged(), r.rejected(), r.duplicates());
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    /**
     * Settles what earlier runs of the target left open before this run plans on their baselines
     * (see {@link SupersededRuns}). A dry run changes nothing of other runs: it only says what it saw.
     */
    Step supersedeStep(SyncJobBeans beans) {
        return new StepBuilder("supersede", jobRepository).tasklet((contribution, context) -> {
            SyncRun run = run(context);
            if (run.dryRun()) {
                int open = beans.plannedUpdates().withUnknownOutcomeInOtherRuns(run.runId(), SyncPlanner.OMNI).size();
                if (open > 0) {
                    log.warn("run {}: {} update(s) of earlier runs have an unknown outcome; this dry run's plan does not account"
                            + " for them (a real run reads them back first)", run.runId(), open);
                }
                return RepeatStatus.FINISHED;
            }
            beans.supersededRuns().settle(run.runId(), SyncPlanner.OMNI, beans.omni());
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    Step planStep() {
        return new StepBuilder("plan", jobRepository).tasklet((contribution, context) -> {
            SyncRun run = run(context);
            SyncPlanner.Plan plan = new SyncPlanner(jdbc).plan(run.runId(), run.definition().omni().missing());
            log.info("run {}: {} updates planned ({} new keys, {} changed, {} missing set to zero)", run.runId(),
                    plan.planned(), plan.newKeys(), plan.changed(), plan.zeroedMissing());
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    Step guardStep(SyncJobBeans beans) {
        return new StepBuilder("guard", jobRepository).tasklet((contribution, context) -> {
            SyncRun run = run(context);
            PlanGuard.Verdict verdict = run.definition().omni() != null
                    ? new PlanGuard(jdbc).check(run.runId(), SyncPlanner.OMNI, run.definition().guard())
                    : new PlanGuard.Verdict(0, 0, 0, null);
            // The Kibo plan is guarded alike, unless the operator asked for a full refresh (every key, on purpose).
            if (!verdict.refused() && run.definition().kibo() != null
                    && KiboSteps.fullRefresh(context.getStepContext().getStepExecution(), run.definition().kibo()).isEmpty()) {
                PlanGuard.Verdict kibo = new PlanGuard(jdbc).check(run.runId(), KiboRequestStore.TARGET, run.definition().guard());
                verdict = kibo.refused() ? new PlanGuard.Verdict(kibo.synced(), kibo.changed(), kibo.zeroed(), "Kibo: " + kibo.refusal()) : verdict;
            }
            if (verdict.refused()) {
                if (!run.force()) {
                    throw new GuardRefusedException("guard refused the run: " + verdict.refusal()
                            + "; nothing was sent. If the snapshot is right, run sync again with --force");
                }
                log.warn("run {}: --force overrides the guard: {}", run.runId(), verdict.refusal());
            }
            if (run.dryRun()) {
                if (run.definition().omni() != null) {
                    new PlanFile(jdbc).write(run.runId(), SyncPlanner.OMNI, run.planFile());
                }
                if (run.definition().kibo() != null) {
                    new PlanFile(jdbc).write(run.runId(), KiboRequestStore.TARGET, run.outputDir().resolve("plan-kibo.csv"));
                }
                contribution.setExitStatus(new ExitStatus(SyncExitCodes.DRY_RUN));
            }
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    /**
     * Before anything is sent, settles what an earlier execution of this run left open: updates
     * with no answer (UNKNOWN) or in flight when its process died (IN_FLIGHT). Runs on every
     * restart, even when it completed before, because the send step that follows it may have
     * left new ones.
     */
    Step resolveStep(SyncJobBeans beans) {
        return new StepBuilder("resolve", jobRepository).tasklet((contribution, context) -> {
            SyncRun run = run(context);
            List<PlannedUpdate> open = beans.plannedUpdates().withUnknownOutcome(run.runId(), SyncPlanner.OMNI);
            if (!open.isEmpty()) {
                UnknownOutcomeResolver.Resolution r = new UnknownOutcomeResolver(beans.omni(), beans.plannedUpdates())
                        .resolveWhenSettled(open);
                log.warn("run {}: {} update(s) had an unknown outcome: {} found applied by reading back, {} to send again, {} held",
                        run.runId(), open.size(), r.applied(), r.toResend().size(), r.held());
            }
            return RepeatStatus.FINISHED;
        }, transactionManager).allowStartIfComplete(true).build();
    }

    /** Runs on every restart, even when it completed before: resolve may have put updates back in the queue. */
    Step sendStep(JobDefinition definition, SyncJobBeans beans) {
        return new StepBuilder("send", jobRepository)
                .<PlannedUpdate, PlannedUpdate>chunk(definition.chunkSize())
                .transactionManager(transactionManager)
                .reader(beans.pendingUpdates())
                .writer(beans.onHandSender())
                .allowStartIfComplete(true)
                .build();
    }

    Step settleStep() {
        return new StepBuilder("settle", jobRepository).tasklet((contribution, context) -> {
            SyncRun run = run(context);
            Long open = jdbc.queryForObject("select count(*) from planned_update where run_id = ? and target = ? "
                    + "and state in ('UNKNOWN', 'IN_FLIGHT', 'PENDING')", Long.class, run.runId(), SyncPlanner.OMNI);
            if (open != null && open > 0) {
                throw new UnresolvedUpdatesException(open + " update(s) of this run have an unknown outcome or were not sent;"
                        + " restart the run: it reads the unknown ones back once settled and sends what was not applied");
            }
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    // ---- step-scoped readers and writers --------------------------------------------------------

    @Bean
    @StepScope
    public SnapshotBlockReader snapshotReader(@Value("#{stepExecution}") StepExecution step) {
        SyncRun run = run(step);
        return new SnapshotBlockReader(new SnapshotCsvReader(run.snapshot()), Math.max(run.definition().chunkSize(), MIN_INGEST_CHUNK));
    }

    @Bean
    @StepScope
    public SnapshotRowValidator snapshotValidator(@Value("#{stepExecution}") StepExecution step, KnownLocations knownLocations) {
        SyncRun run = run(step);
        Map<String, String> columns = run.definition().source().columns();
        return new SnapshotRowValidator(SnapshotHeader.read(run.snapshot(), columns), knownLocations.of(run.runId()));
    }

    @Bean
    @StepScope
    public StagingWriter stagingWriter(@Value("#{stepExecution}") StepExecution step) {
        SyncRun run = run(step);
        return new StagingWriter(dataSource, run.runId(), run.snapshot().toString());
    }

    /**
     * The run's PENDING updates in id order. Restart position comes from the states, not from a
     * saved offset: what was applied is no longer PENDING, so a restart resumes exactly there.
     */
    @Bean
    @StepScope
    public PendingUpdatesReader pendingUpdates(@Value("#{stepExecution}") StepExecution step, OnHandSender onHandSender) throws Exception {
        SyncRun run = run(step);
        JdbcPagingItemReader<PlannedUpdate> pending = new JdbcPagingItemReaderBuilder<PlannedUpdate>()
                .name("pendingUpdates")
                .dataSource(dataSource)
                .selectClause("select " + PlannedUpdateStore.COLUMNS)
                .fromClause("from planned_update")
                .whereClause("where run_id = " + run.runId() + " and target = '" + SyncPlanner.OMNI + "' and state = 'PENDING'")
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
    public OnHandSender onHandSender(@Value("#{stepExecution}") StepExecution step, @Lazy OmniClient omni,
                                     PlannedUpdateStore store, SyncMetrics metrics, KnownLocations knownLocations) {
        SyncRun run = run(step);
        // Room for a whole chunk more than the senders hold, so they keep busy while the next chunk is read.
        int concurrency = run.definition().concurrency();
        Map<String, Object> answered = jdbc.queryForMap("select count(*) as answered, "
                + "coalesce(sum(case when state = 'REJECTED' then 1 else 0 end), 0) as rejected "
                + "from planned_update where run_id = ? and target = ? and state in ('APPLIED', 'REJECTED')", run.runId(), SyncPlanner.OMNI);
        var rejectedShare = new OnHandSender.RejectedShare(run.definition().guard().maxRejectedShare(),
                ((Number) answered.get("answered")).longValue(), ((Number) answered.get("rejected")).longValue());
        return new OnHandSender(omni, store, concurrency, run.definition().chunkSize() + concurrency,
                knownLocations.masteredElsewhere(run.runId()), rejectedShare, metrics.registry());
    }

    @Bean
    public SyncJobBeans syncJobBeans(@Lazy OmniClient omni, KnownLocations knownLocations, SnapshotBlockReader snapshotReader,
                                     SnapshotRowValidator snapshotValidator, StagingWriter stagingWriter,
                                     PendingUpdatesReader pendingUpdates, OnHandSender onHandSender,
                                     SyncJobListener listener, ObjectProvider<NewStoreClient> newStore,
                                     PlannedUpdateStore plannedUpdates, SupersededRuns supersededRuns) {
        return new SyncJobBeans(omni, knownLocations, snapshotReader, snapshotValidator, stagingWriter, pendingUpdates,
                onHandSender, listener, newStore, plannedUpdates, supersededRuns);
    }

    // ---- services -----------------------------------------------------------------------------

    @Bean
    public KnownLocations knownLocations() {
        return new KnownLocations(jdbc);
    }

    @Bean
    public PlannedUpdateStore plannedUpdateStore(HttpProperties http) {
        return new PlannedUpdateStore(jdbc, transactionManager, http.settleTime());
    }

    @Bean
    public SupersededRuns supersededRuns(PlannedUpdateStore store, JobOperator jobOperator, JobRunLock runLock) {
        return new SupersededRuns(store, jobRepository, jobOperator, runLock);
    }

    @Bean
    public RunSummaries runSummaries() {
        return new RunSummaries(jdbc);
    }

    @Bean
    public SyncJobListener syncJobListener(RunSummaries summaries, HeldUpdates heldUpdates, KiboReport kiboReport) {
        return new SyncJobListener(summaries, jdbc, properties, heldUpdates, kiboReport);
    }
}
