package com.inventorysync.job;

import com.inventorysync.ingest.IngestBlock;
import com.inventorysync.ingest.IngestFinisher;
import com.inventorysync.ingest.KnownLocations;
import com.inventorysync.ingest.SnapshotBlockReader;
import com.inventorysync.ingest.SnapshotCsvReader;
import com.inventorysync.ingest.SnapshotHeader;
import com.inventorysync.ingest.SnapshotKeys;
import com.inventorysync.ingest.SnapshotRowValidator;
import com.inventorysync.ingest.StagingWriter;
import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.oms.GuardRefusedException;
import com.inventorysync.oms.OmsRun;
import com.inventorysync.oms.OmsSlice;
import com.inventorysync.oms.newstore.NewStoreClient;
import com.inventorysync.oms.omni.OmniClient;
import com.inventorysync.oms.omni.OmniSlice;
import com.inventorysync.oms.omni.SupersededRuns;
import com.inventorysync.ops.DatabaseKind;
import com.inventorysync.ops.GracefulStop;
import com.inventorysync.ops.HeldUpdates;
import com.inventorysync.ops.JobRunLock;
import com.inventorysync.ops.ProgressProperties;
import com.inventorysync.ops.RunLogContext;
import com.inventorysync.ops.RunMetrics;
import com.inventorysync.ops.RunSummaries;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.FlowJobBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The nightly sync, top to bottom: read the locations, ingest the snapshot, then each OMS slice the
 * job file configures ({@link OmsSlice}: Omni's, Kibo's), guarded, then reconcile when asked.
 * <pre>
 * locations -> ingest -> finish-ingest -> [slice plan steps...] -> guard -(DRY_RUN)-> end
 *                                                                        \-> [slice send steps...] [-> reconcile]
 * </pre>
 * Built per launch from its job definition (chunk size and concurrency come from it). The run each
 * step works for is the job-scoped {@link OmsRun}: the job file is parsed once per execution.
 */
@Configuration(proxyBeanMethods = false)
public class SyncJobConfiguration {
    private static final Logger log = LoggerFactory.getLogger(SyncJobConfiguration.class);

    /** Ingest commits blocks of up to this many rows (the first ones smaller): staging is cheap per row, commits are not. */
    static final int MIN_INGEST_CHUNK = 100_000;

    private static final String INGEST = "ingest";

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final SyncProperties properties;
    private final List<OmsSlice> slices;
    private final OmsRun run;
    private final ObjectProvider<ReconcileLauncher> reconcile;
    private final GracefulStop gracefulStop;
    private final ObservationRegistry observations;

    public SyncJobConfiguration(
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            DataSource dataSource,
            SyncProperties properties,
            ObjectProvider<ReconcileLauncher> reconcile,
            List<OmsSlice> slices,
            @Lazy OmsRun run,
            GracefulStop gracefulStop,
            ObjectProvider<ObservationRegistry> observations) {
        this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.properties = properties;
        this.reconcile = reconcile;
        // Omni first: its steps have always run before Kibo's.
        this.slices = slices.stream()
                .sorted((a, b) -> Boolean.compare(!(a instanceof OmniSlice), !(b instanceof OmniSlice)))
                .toList();
        this.run = run;
        this.gracefulStop = gracefulStop;
    }

    // ---- the job ------------------------------------------------------------------------------

    /** The job for one job definition. */
    public Job syncJob(JobDefinition definition, SyncJobBeans beans) {
        List<OmsSlice> configured =
                slices.stream().filter(s -> s.configuredIn(definition)).toList();
        SimpleJobBuilder planned = new JobBuilder(SyncJobParameters.JOB_NAME, jobRepository)
                .listener(new RunLogContext(e -> e.getJobParameters().getString(SyncJobParameters.DEFINITION_NAME)))
                .listener(beans.listener())
                .listener(gracefulStop)
                .start(locationsStep(beans))
                .next(ingestStep(beans))
                .next(finishIngestStep(beans));
        List<Step> sending = new ArrayList<>();
        for (OmsSlice slice : configured) {
            for (Step step : slice.planSteps(definition)) {
                planned = planned.next(step);
            }
            sending.addAll(slice.sendSteps(definition));
        }
        Step guard = guardStep(configured);
        FlowBuilder<FlowJobBuilder> flow = planned.next(guard)
                .on(SyncExitCodes.DRY_RUN)
                .end()
                .from(guard)
                .on(ExitStatus.COMPLETED.getExitCode())
                .to(sending.get(0));
        for (Step step : sending.subList(1, sending.size())) {
            flow = flow.next(step);
        }
        if (definition.reconcile().afterSync()) {
            // reconcile: {after-sync: true}: the reconcile job runs as the last step, as a job of its own
            flow = flow.next(reconcile.getObject().afterSyncStep());
        }
        // A refusal (or any other failure of the guard) must never fall through to sending.
        return observed(flow.from(guard).on("*").fail().end().build());
    }

    /**
     * Spring Batch's job and step observations ({@code spring.batch.job}, {@code spring.batch.step})
     * for a job built per execution: Boot's {@code BatchObservabilityBeanPostProcessor} only reaches
     * jobs and steps that are beans.
     */
    private Job observed(Job job) {
        if (job instanceof AbstractJob abstractJob) {
            abstractJob.setObservationRegistry(observations);
            for (String name : abstractJob.getStepNames()) {
                if (abstractJob.getStep(name) instanceof AbstractStep step) {
                    step.setObservationRegistry(observations);
                }
            }
        }
        return job;
    }

    /** The beans a job needs besides the slices, gathered so that {@link #syncJob} reads like the flow it builds. */
    public record SyncJobBeans(
            ObjectProvider<OmniClient> omni,
            KnownLocations knownLocations,
            SnapshotBlockReader snapshotReader,
            StagingWriter stagingWriter,
            SnapshotKeys snapshotKeys,
            SyncJobListener listener,
            ObjectProvider<NewStoreClient> newStore) {}

    Step locationsStep(SyncJobBeans beans) {
        return new StepBuilder("locations", jobRepository)
                .tasklet(
                        (contribution, context) -> {
                            if (run.definition().omni() == null) {
                                // A Kibo-only job: the known locations are those its kibo section maps.
                                beans.knownLocations()
                                        .store(
                                                run.runId(),
                                                run.definition()
                                                        .kibo()
                                                        .locations()
                                                        .keySet());
                                log.info(
                                        "run {}: {} Kibo locations",
                                        run.runId(),
                                        run.definition().kibo().locations().size());
                                return RepeatStatus.FINISHED;
                            }
                            var active = beans.omni().getObject().activeLocations().stream()
                                    .map(l -> new KnownLocations.ActiveLocation(
                                            l.internalName(), l.locationType(), l.isStore()))
                                    .toList();
                            boolean storesMastered = run.definition().newstore().readsStoreMastership()
                                    && beans.newStore().getObject().externalOmsEnabled();
                            beans.knownLocations()
                                    .store(run.runId(), active, run.definition().omni(), storesMastered);
                            log.info(
                                    "run {}: {} active Omni inventory locations{}",
                                    run.runId(),
                                    active.size(),
                                    storesMastered
                                            ? "; NewStore masters store inventory: store counts are not sent"
                                            : "");
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    /** Each item is a block of records, as many as one commit holds: a chunk is one block. */
    Step ingestStep(SyncJobBeans beans) {
        return new StepBuilder(INGEST, jobRepository)
                .<IngestBlock, IngestBlock>chunk(1)
                .transactionManager(transactionManager)
                .reader(beans.snapshotReader())
                .writer(beans.stagingWriter())
                .build();
    }

    Step finishIngestStep(SyncJobBeans beans) {
        return new StepBuilder("finish-ingest", jobRepository)
                .tasklet(
                        (contribution, context) -> {
                            // The keys this execution's ingest step watched; a restart after it searches in SQL.
                            IngestFinisher.Result r = new IngestFinisher(jdbc)
                                    .finish(
                                            run.runId(),
                                            run.snapshot(),
                                            run.rejectFile(),
                                            run.definition().skipLimit(),
                                            beans.snapshotKeys());
                            context.getStepContext()
                                    .getStepExecution()
                                    .getExecutionContext()
                                    .putLong("rows.read", r.read());
                            context.getStepContext()
                                    .getStepExecution()
                                    .getExecutionContext()
                                    .putLong(OmsRun.ROWS_STAGED, r.staged());
                            log.info(
                                    "run {}: {} rows read, {} staged, {} rejected ({} as duplicate keys)",
                                    run.runId(),
                                    r.read(),
                                    r.staged(),
                                    r.rejected(),
                                    r.duplicates());
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    /** Each configured slice judges its plan; the first refusal stops the run, unless forced. A dry run ends here. */
    Step guardStep(List<OmsSlice> configured) {
        return new StepBuilder("guard", jobRepository)
                .tasklet(
                        (contribution, context) -> {
                            var step = context.getStepContext().getStepExecution();
                            Optional<String> refusal = configured.stream()
                                    .map(s -> s.guardRefusal(step, run))
                                    .flatMap(Optional::stream)
                                    .findFirst();
                            if (refusal.isPresent()) {
                                if (!run.force()) {
                                    throw new GuardRefusedException(
                                            "guard refused the run: " + refusal.get()
                                                    + "; nothing was sent. If the snapshot is right, run sync again with --force");
                                }
                                log.warn("run {}: --force overrides the guard: {}", run.runId(), refusal.get());
                            }
                            if (run.dryRun()) {
                                configured.forEach(s -> s.writeDryRunPlan(run));
                                contribution.setExitStatus(new ExitStatus(SyncExitCodes.DRY_RUN));
                            }
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    // ---- the run, and the step-scoped ingest beans ----------------------------------------------

    /** The run this execution works for: its job file parsed once, shared by every step. */
    @Bean
    @JobScope
    public OmsRun currentRun(@Value("#{jobExecution}") JobExecution execution) {
        return SyncRun.of(execution, properties.outputDir());
    }

    @Bean
    @StepScope
    public SnapshotBlockReader snapshotReader(OmsRun run, ProgressProperties progress, KnownLocations knownLocations) {
        Map<String, String> columns = run.definition().source().columns();
        SnapshotRowValidator validator =
                new SnapshotRowValidator(SnapshotHeader.read(run.snapshot(), columns), knownLocations.of(run.runId()));
        SnapshotBlockReader reader = new SnapshotBlockReader(
                new SnapshotCsvReader(run.snapshot()),
                validator,
                Math.max(run.definition().chunkSize(), MIN_INGEST_CHUNK),
                progress.interval());
        return DatabaseKind.isPostgres(jdbc) ? reader.writingCopyTextFor(run.runId()) : reader;
    }

    @Bean
    @StepScope
    public StagingWriter stagingWriter(OmsRun run, SnapshotKeys snapshotKeys) {
        return new StagingWriter(dataSource, run.runId(), run.snapshot().toString(), snapshotKeys);
    }

    /** The keys the ingest step stages, kept for the finish-ingest step of the same execution (temporary files deleted at its end). */
    @Bean
    @JobScope
    public SnapshotKeys snapshotKeys() {
        return new SnapshotKeys();
    }

    @Bean
    public SyncJobBeans syncJobBeans(
            ObjectProvider<OmniClient> omni,
            KnownLocations knownLocations,
            SnapshotBlockReader snapshotReader,
            StagingWriter stagingWriter,
            SnapshotKeys snapshotKeys,
            SyncJobListener listener,
            ObjectProvider<NewStoreClient> newStore) {
        return new SyncJobBeans(omni, knownLocations, snapshotReader, stagingWriter, snapshotKeys, listener, newStore);
    }

    // ---- services -----------------------------------------------------------------------------

    @Bean
    public KnownLocations knownLocations() {
        return new KnownLocations(jdbc);
    }

    @Bean
    public OmniSlice.MasteredLocations masteredLocations(KnownLocations knownLocations) {
        return knownLocations::masteredElsewhere;
    }

    /** A run still marked running is alive when its job's run lock is held by a process. */
    @Bean
    public SupersededRuns.LiveExecutions liveExecutions(JobRunLock runLock) {
        return execution -> {
            String jobName = execution.getJobParameters().getString(SyncJobParameters.DEFINITION_NAME);
            return jobName != null && runLock.isHeld(jobName);
        };
    }

    @Bean
    public RunSummaries runSummaries() {
        return new RunSummaries(jdbc);
    }

    @Bean
    public SyncJobListener syncJobListener(
            RunSummaries summaries, HeldUpdates heldUpdates, List<OmsSlice> slices, RunMetrics metrics) {
        return new SyncJobListener(summaries, jdbc, properties, heldUpdates, slices, metrics);
    }
}
