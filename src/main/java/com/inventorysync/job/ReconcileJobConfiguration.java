package com.inventorysync.job;

import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.jobdef.JobDefinitionLoader;
import com.inventorysync.oms.omni.Count;
import com.inventorysync.oms.omni.InventoryLocation;
import com.inventorysync.oms.omni.OmniClient;
import com.inventorysync.oms.omni.VirtualCount;
import com.inventorysync.ops.ProgressProperties;
import com.inventorysync.ops.RunLogContext;
import com.inventorysync.ops.RunMetrics;
import com.inventorysync.reconcile.Discrepancy;
import com.inventorysync.reconcile.DiscrepancyClass;
import com.inventorysync.reconcile.DiscrepancyClassifier;
import com.inventorysync.reconcile.PagedRequestsReader;
import com.inventorysync.reconcile.PagedRequestsReader.Page;
import com.inventorysync.reconcile.ReconcileOutputs;
import com.inventorysync.reconcile.ReconcileProperties;
import com.inventorysync.reconcile.ReconcileRepository;
import java.nio.file.Path;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.database.JdbcBatchItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcCursorItemReader;
import org.springframework.batch.infrastructure.item.database.builder.JdbcBatchItemWriterBuilder;
import org.springframework.batch.infrastructure.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The reconciliation job, top to bottom: record the run and the job file's pools; stage Omni's
 * virtual counts for the job's pool groups, available counts at every active location and on-hand
 * counts where the sync writes; compare pools with their members, locations in no pool, and synced
 * with held counts; write the reports. Reading the OMS is split into requests within the
 * contract's limits and paged to the end; {@link OmniClient} retries 429/503 (after
 * {@code Retry-After}) and I/O errors. A failed run is run again rather than restarted: it only
 * reads the OMS, and a fresh read is what the operator wants anyway.
 */
@Configuration(proxyBeanMethods = false)
public class ReconcileJobConfiguration {
    public static final String JOB_NAME = "reconcile";
    /** Job parameters: the job definition file, the optional SKU filter (comma separated), the output folder, and a run stamp. */
    public static final String JOB_FILE = SyncJobParameters.DEFINITION_FILE;

    public static final String SKUS = "reconcile.skus";
    public static final String OUTPUT_DIR = "reconcile.output-dir";
    public static final String RUN_AT = "reconcile.run-at";

    /** The target the sync job records its positions under for Omni. */
    static final String OMNI_TARGET = "omni";

    static final int CHUNK_SIZE = 1000;

    static final String POOL_ROWS = """
            with physical as (
              select m.pool_group, m.pool_name, a.sku, sum(a.quantity) as available_sum
              from reconcile_pool_member m
              join reconcile_available a on a.execution_id = m.execution_id and a.location = m.location
              where m.execution_id = ?
              group by m.pool_group, m.pool_name, a.sku),
            reported as (
              select v.pool_group, v.pool_name, v.sku, v.quantity
              from reconcile_virtual v
              join reconcile_pool p on p.execution_id = v.execution_id and p.pool_group = v.pool_group and p.pool_name = v.pool_name
              where v.execution_id = ?),
            keys as (
              select pool_group, pool_name, sku from reported
              union
              select pool_group, pool_name, sku from physical)
            select k.pool_group, k.pool_name, k.sku, r.quantity as reported, ph.available_sum, p.buffer
            from keys k
            join reconcile_pool p on p.execution_id = ? and p.pool_group = k.pool_group and p.pool_name = k.pool_name
            left join reported r on r.pool_group = k.pool_group and r.pool_name = k.pool_name and r.sku = k.sku
            left join physical ph on ph.pool_group = k.pool_group and ph.pool_name = k.pool_name and ph.sku = k.sku
            order by k.pool_group, k.pool_name, k.sku""";

    static final String UNPOOLED_LOCATIONS = """
            select l.location, coalesce(sum(a.quantity), 0) as units
            from reconcile_location l
            left join reconcile_available a on a.execution_id = l.execution_id and a.location = l.location
            where l.execution_id = ?
              and not exists (select 1 from reconcile_pool_member m where m.execution_id = l.execution_id and m.location = l.location)
            group by l.location
            order by l.location""";

    /** Keys synced to Omni (within the SKU filter, if any) and keys Omni holds at the locations the sync writes to. */
    static final String SYNCED_ROWS = """
            with synced as (
              select s.location, s.sku, s.quantity, s.updated_at, s.run_id
              from synced_position s
              where s.target = ?
                and (not exists (select 1 from reconcile_sku_filter f where f.execution_id = ?)
                     or s.sku in (select f.sku from reconcile_sku_filter f where f.execution_id = ?))),
            held as (
              select o.location, o.sku, o.quantity
              from reconcile_on_hand o
              where o.execution_id = ? and o.location in (select distinct location from synced_position where target = ?)),
            keys as (
              select location, sku from synced
              union
              select location, sku from held)
            select k.location, k.sku, s.quantity as synced, h.quantity as held, s.updated_at as synced_at, s.run_id as synced_run
            from keys k
            left join synced s on s.location = k.location and s.sku = k.sku
            left join held h on h.location = k.location and h.sku = k.sku
            order by k.location, k.sku""";

    @Bean
    public Job reconcileJob(
            JobRepository jobRepository,
            Step reconcileStartStep,
            Step reconcileVirtualStep,
            Step reconcileAvailableStep,
            Step reconcileOnHandStep,
            Step reconcilePoolsStep,
            Step reconcileUnpooledStep,
            Step reconcileSyncedStep,
            Step reconcileReportStep) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .listener(new RunLogContext(e -> JobDefinitionLoader.load(
                                Path.of(e.getJobParameters().getString(JOB_FILE)))
                        .name()))
                .start(reconcileStartStep)
                .next(reconcileVirtualStep)
                .next(reconcileAvailableStep)
                .next(reconcileOnHandStep)
                .next(reconcilePoolsStep)
                .next(reconcileUnpooledStep)
                .next(reconcileSyncedStep)
                .next(reconcileReportStep)
                .build();
    }

    // ---- 1. the run, its pools, the OMS's active locations ---------------------------------

    @Bean
    public Step reconcileStartStep(
            JobRepository jobRepository,
            PlatformTransactionManager tm,
            ReconcileRepository repository,
            @Lazy OmniClient omni,
            ReconcileProperties properties,
            ReconcileJobFile jobFile) {
        // @Lazy: commands that never call Omni (status, sync --dry-run elsewhere) need no Omni settings
        return new StepBuilder("reconcileStart", jobRepository)
                .tasklet(
                        (contribution, chunk) -> {
                            var stepExecution = chunk.getStepContext().getStepExecution();
                            var params = stepExecution.getJobParameters();
                            long executionId = stepExecution.getJobExecutionId();
                            JobDefinition job = jobFile.definition();
                            String outputDir = params.getString(OUTPUT_DIR) != null
                                    ? params.getString(OUTPUT_DIR)
                                    : properties.outputDir().toString();
                            repository.startRun(
                                    executionId,
                                    job.name(),
                                    Instant.now(),
                                    job.reconcile().tolerance(),
                                    job.reconcile().alertThreshold(),
                                    outputDir,
                                    job.pools(),
                                    skuFilter(params.getString(SKUS)));
                            repository.saveLocations(
                                    executionId,
                                    omni.activeLocations().stream()
                                            .map(InventoryLocation::internalName)
                                            .toList());
                            List<String> unknown = repository.unknownMembers(executionId);
                            if (!unknown.isEmpty()) {
                                stepExecution
                                        .getJobExecution()
                                        .getExecutionContext()
                                        .putString("reconcile.unknownMembers", String.join(",", unknown));
                            }
                            return RepeatStatus.FINISHED;
                        },
                        tm)
                .build();
    }

    // ---- 2-4. stage the OMS's counts -------------------------------------------------------

    @Bean
    public Step reconcileVirtualStep(
            JobRepository jobRepository,
            PlatformTransactionManager tm,
            PagedRequestsReader<VirtualCount> reconcileVirtualReader,
            JdbcBatchItemWriter<VirtualCount> reconcileVirtualWriter) {
        return new StepBuilder("reconcileVirtual", jobRepository)
                .<VirtualCount, VirtualCount>chunk(CHUNK_SIZE)
                .transactionManager(tm)
                .reader(reconcileVirtualReader)
                .writer(reconcileVirtualWriter)
                .build();
    }

    /** Requests of at most 4 pool groups, and either no SKU filter or at most 7 SKUs each. */
    @Bean
    @StepScope
    public PagedRequestsReader<VirtualCount> reconcileVirtualReader(
            @Value("#{stepExecution.jobExecutionId}") long executionId,
            ReconcileRepository repository,
            OmniClient omni,
            ReconcileProperties properties,
            ProgressProperties progress) {
        List<IntFunction<Page<VirtualCount>>> requests = new ArrayList<>();
        int pageSize = properties.pageSize();
        for (List<String> groups :
                batches(repository.poolGroups(executionId), OmniClient.MAX_POOL_GROUPS_PER_REQUEST)) {
            for (List<String> skus :
                    skuBatches(repository.skuFilter(executionId), OmniClient.MAX_SKUS_PER_VIRTUAL_REQUEST)) {
                requests.add(page -> {
                    var p = omni.virtualPage(groups, skus, page, pageSize);
                    return new Page<>(p.items(), p.totalCount());
                });
            }
        }
        return new PagedRequestsReader<>("reconcileVirtualReader", requests, "reconcileVirtual", progress.interval());
    }

    @Bean
    @StepScope
    public JdbcBatchItemWriter<VirtualCount> reconcileVirtualWriter(
            @Value("#{stepExecution.jobExecutionId}") long executionId, DataSource dataSource) {
        return new JdbcBatchItemWriterBuilder<VirtualCount>()
                .dataSource(dataSource)
                .assertUpdates(false)
                .sql(
                        "insert into reconcile_virtual (execution_id, pool_group, pool_name, sku, quantity) values (?, ?, ?, ?, ?)"
                                + " on conflict do nothing")
                .itemPreparedStatementSetter((v, ps) -> {
                    ps.setLong(1, executionId);
                    ps.setString(2, v.inventoryPoolGroupName());
                    ps.setString(3, v.inventoryPoolName());
                    ps.setString(4, v.sku());
                    ps.setInt(5, v.quantity());
                })
                .build();
    }

    @Bean
    public Step reconcileAvailableStep(
            JobRepository jobRepository,
            PlatformTransactionManager tm,
            PagedRequestsReader<Count> reconcileAvailableReader,
            JdbcBatchItemWriter<Count> reconcileAvailableWriter) {
        return new StepBuilder("reconcileAvailable", jobRepository)
                .<Count, Count>chunk(CHUNK_SIZE)
                .transactionManager(tm)
                .reader(reconcileAvailableReader)
                .writer(reconcileAvailableWriter)
                .build();
    }

    /** Available counts at every active location (members of a pool or not), at most 50 locations a request. */
    @Bean
    @StepScope
    public PagedRequestsReader<Count> reconcileAvailableReader(
            @Value("#{stepExecution.jobExecutionId}") long executionId,
            ReconcileRepository repository,
            OmniClient omni,
            ReconcileProperties properties,
            ProgressProperties progress) {
        return countsReader(
                "reconcileAvailable",
                "/v1/inventory/available",
                repository.availableLocations(executionId),
                repository.skuFilter(executionId),
                omni,
                properties.pageSize(),
                progress.interval());
    }

    @Bean
    @StepScope
    public JdbcBatchItemWriter<Count> reconcileAvailableWriter(
            @Value("#{stepExecution.jobExecutionId}") long executionId, DataSource dataSource) {
        return countsWriter("reconcile_available", executionId, dataSource);
    }

    @Bean
    public Step reconcileOnHandStep(
            JobRepository jobRepository,
            PlatformTransactionManager tm,
            PagedRequestsReader<Count> reconcileOnHandReader,
            JdbcBatchItemWriter<Count> reconcileOnHandWriter) {
        return new StepBuilder("reconcileOnHand", jobRepository)
                .<Count, Count>chunk(CHUNK_SIZE)
                .transactionManager(tm)
                .reader(reconcileOnHandReader)
                .writer(reconcileOnHandWriter)
                .build();
    }

    /** On-hand counts at the locations the sync has written to Omni. */
    @Bean
    @StepScope
    public PagedRequestsReader<Count> reconcileOnHandReader(
            @Value("#{stepExecution.jobExecutionId}") long executionId,
            ReconcileRepository repository,
            OmniClient omni,
            ReconcileProperties properties,
            ProgressProperties progress) {
        return countsReader(
                "reconcileOnHand",
                "/v1/inventory/onhand",
                repository.syncedLocations(OMNI_TARGET),
                repository.skuFilter(executionId),
                omni,
                properties.pageSize(),
                progress.interval());
    }

    @Bean
    @StepScope
    public JdbcBatchItemWriter<Count> reconcileOnHandWriter(
            @Value("#{stepExecution.jobExecutionId}") long executionId, DataSource dataSource) {
        return countsWriter("reconcile_on_hand", executionId, dataSource);
    }

    // ---- 5-7. compare ----------------------------------------------------------------------

    @Bean
    public Step reconcilePoolsStep(
            JobRepository jobRepository,
            PlatformTransactionManager tm,
            JdbcCursorItemReader<PoolRow> reconcilePoolsReader,
            ItemProcessor<PoolRow, Discrepancy> reconcilePoolsProcessor,
            JdbcBatchItemWriter<Discrepancy> reconcileDiscrepancyWriter) {
        return new StepBuilder("reconcilePools", jobRepository)
                .<PoolRow, Discrepancy>chunk(CHUNK_SIZE)
                .transactionManager(tm)
                .reader(reconcilePoolsReader)
                .processor(reconcilePoolsProcessor)
                .writer(reconcileDiscrepancyWriter)
                .build();
    }

    /** One pool and SKU: the OMS's virtual count (null: none) and the sum of available over the members (null: none). */
    public record PoolRow(
            String poolGroup, String poolName, String sku, Integer reported, Long memberAvailableSum, int buffer) {}

    @Bean
    @StepScope
    public JdbcCursorItemReader<PoolRow> reconcilePoolsReader(
            @Value("#{stepExecution.jobExecutionId}") long executionId, DataSource dataSource) {
        return new JdbcCursorItemReaderBuilder<PoolRow>()
                .name("reconcilePoolsReader")
                .dataSource(dataSource)
                .sql(POOL_ROWS)
                .queryArguments(executionId, executionId, executionId)
                .connectionAutoCommit(false)
                .fetchSize(CHUNK_SIZE)
                .rowMapper((rs, i) -> new PoolRow(
                        rs.getString("pool_group"),
                        rs.getString("pool_name"),
                        rs.getString("sku"),
                        rs.getObject("reported", Integer.class),
                        rs.getObject("available_sum", Long.class),
                        rs.getInt("buffer")))
                .build();
    }

    @Bean
    @StepScope
    public ItemProcessor<PoolRow, Discrepancy> reconcilePoolsProcessor(ReconcileJobFile jobFile) {
        DiscrepancyClassifier classifier = classifier(jobFile);
        return row -> classifier
                .pool(
                        row.poolGroup(),
                        row.poolName(),
                        row.sku(),
                        row.reported(),
                        row.memberAvailableSum(),
                        row.buffer())
                .orElse(null);
    }

    @Bean
    public Step reconcileUnpooledStep(
            JobRepository jobRepository,
            PlatformTransactionManager tm,
            JdbcCursorItemReader<LocationUnits> reconcileUnpooledReader,
            ItemProcessor<LocationUnits, Discrepancy> reconcileUnpooledProcessor,
            JdbcBatchItemWriter<Discrepancy> reconcileDiscrepancyWriter) {
        return new StepBuilder("reconcileUnpooled", jobRepository)
                .<LocationUnits, Discrepancy>chunk(CHUNK_SIZE)
                .transactionManager(tm)
                .reader(reconcileUnpooledReader)
                .processor(reconcileUnpooledProcessor)
                .writer(reconcileDiscrepancyWriter)
                .build();
    }

    /** An active location in no pool and the available units it holds. */
    public record LocationUnits(String location, long units) {}

    @Bean
    @StepScope
    public JdbcCursorItemReader<LocationUnits> reconcileUnpooledReader(
            @Value("#{stepExecution.jobExecutionId}") long executionId, DataSource dataSource) {
        return new JdbcCursorItemReaderBuilder<LocationUnits>()
                .name("reconcileUnpooledReader")
                .dataSource(dataSource)
                .sql(UNPOOLED_LOCATIONS)
                .queryArguments(executionId)
                .rowMapper((rs, i) -> new LocationUnits(rs.getString("location"), rs.getLong("units")))
                .build();
    }

    @Bean
    @StepScope
    public ItemProcessor<LocationUnits, Discrepancy> reconcileUnpooledProcessor(ReconcileJobFile jobFile) {
        DiscrepancyClassifier classifier = classifier(jobFile);
        return row -> classifier.unpooledLocation(row.location(), row.units()).orElse(null);
    }

    @Bean
    public Step reconcileSyncedStep(
            JobRepository jobRepository,
            PlatformTransactionManager tm,
            JdbcCursorItemReader<SyncedRow> reconcileSyncedReader,
            ItemProcessor<SyncedRow, Discrepancy> reconcileSyncedProcessor,
            JdbcBatchItemWriter<Discrepancy> reconcileDiscrepancyWriter) {
        return new StepBuilder("reconcileSynced", jobRepository)
                .<SyncedRow, Discrepancy>chunk(CHUNK_SIZE)
                .transactionManager(tm)
                .reader(reconcileSyncedReader)
                .processor(reconcileSyncedProcessor)
                .writer(reconcileDiscrepancyWriter)
                .build();
    }

    /** One key: the count last synced to Omni (null: never), when and by which sync run, and the on-hand count Omni holds (null: none). */
    public record SyncedRow(
            String location, String sku, Integer synced, Integer held, Instant syncedAt, Long syncedRun) {
        /** Who last set the expected count: the OMS API keeps no history, so this product's own record is what is known. */
        String detail() {
            if (synced == null) {
                return null;
            }
            return "last synced" + (syncedAt == null ? "" : " " + SYNCED_AT.format(syncedAt))
                    + (syncedRun == null ? "" : ", sync run " + syncedRun);
        }
    }

    private static final DateTimeFormatter SYNCED_AT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    @Bean
    @StepScope
    public JdbcCursorItemReader<SyncedRow> reconcileSyncedReader(
            @Value("#{stepExecution.jobExecutionId}") long executionId, DataSource dataSource) {
        return new JdbcCursorItemReaderBuilder<SyncedRow>()
                .name("reconcileSyncedReader")
                .dataSource(dataSource)
                .sql(SYNCED_ROWS)
                .queryArguments(OMNI_TARGET, executionId, executionId, executionId, OMNI_TARGET)
                .connectionAutoCommit(false)
                .fetchSize(CHUNK_SIZE)
                .rowMapper((rs, i) -> new SyncedRow(
                        rs.getString("location"),
                        rs.getString("sku"),
                        rs.getObject("synced", Integer.class),
                        rs.getObject("held", Integer.class),
                        rs.getTimestamp("synced_at") == null
                                ? null
                                : rs.getTimestamp("synced_at").toInstant(),
                        rs.getObject("synced_run", Long.class)))
                .build();
    }

    @Bean
    @StepScope
    public ItemProcessor<SyncedRow, Discrepancy> reconcileSyncedProcessor(ReconcileJobFile jobFile) {
        DiscrepancyClassifier classifier = classifier(jobFile);
        return row -> classifier
                .synced(row.location(), row.sku(), row.synced(), row.held())
                .map(d -> d.withDetail(row.detail()))
                .orElse(null);
    }

    @Bean
    @StepScope
    public JdbcBatchItemWriter<Discrepancy> reconcileDiscrepancyWriter(
            @Value("#{stepExecution.jobExecutionId}") long executionId, DataSource dataSource) {
        return new JdbcBatchItemWriterBuilder<Discrepancy>()
                .dataSource(dataSource)
                .sql(ReconcileRepository.INSERT_DISCREPANCY)
                .itemPreparedStatementSetter((d, ps) -> {
                    ps.setLong(1, executionId);
                    ps.setString(2, d.comparison().name());
                    ps.setString(3, d.discrepancyClass().name());
                    ps.setString(4, d.impact().name());
                    ps.setString(5, d.poolGroup());
                    ps.setString(6, d.poolName());
                    ps.setString(7, d.location());
                    ps.setString(8, d.sku());
                    ps.setObject(9, d.expected(), Types.INTEGER);
                    ps.setObject(10, d.actual(), Types.INTEGER);
                    ps.setInt(11, d.difference());
                    ps.setInt(12, d.absolute());
                    ps.setObject(13, d.relative(), Types.DOUBLE);
                    ps.setString(14, d.detail());
                })
                .build();
    }

    // ---- 8. reports ------------------------------------------------------------------------

    @Bean
    public Step reconcileReportStep(
            JobRepository jobRepository,
            PlatformTransactionManager tm,
            ReconcileRepository repository,
            ReconcileOutputs outputs,
            RunMetrics metrics) {
        return new StepBuilder("reconcileReport", jobRepository)
                .tasklet(
                        (contribution, chunk) -> {
                            var stepExecution = chunk.getStepContext().getStepExecution();
                            long executionId = stepExecution.getJobExecutionId();
                            repository.finishRun(executionId, Instant.now());
                            repository
                                    .run(executionId)
                                    .ifPresent(run -> metrics.reconciled(
                                            run.jobName(),
                                            Arrays.stream(DiscrepancyClass.values())
                                                    .map(Enum::name)
                                                    .collect(Collectors.toSet()),
                                            byName(repository.countsByClass(executionId)),
                                            byName(repository.unitsByClass(executionId)),
                                            run.alertThreshold()));
                            Path folder = outputs.write(executionId);
                            repository.deleteStaging(executionId);
                            stepExecution
                                    .getJobExecution()
                                    .getExecutionContext()
                                    .putString("reconcile.reports", folder.toString());
                            return RepeatStatus.FINISHED;
                        },
                        tm)
                .build();
    }

    // ---- plumbing --------------------------------------------------------------------------

    private static Map<String, Long> byName(Map<DiscrepancyClass, Long> byClass) {
        return byClass.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
    }

    /** @param step the step's name; the reader is named after it, and so are its progress lines */
    private static PagedRequestsReader<Count> countsReader(
            String step,
            String path,
            List<String> locations,
            List<String> skuFilter,
            OmniClient omni,
            int pageSize,
            Duration progressInterval) {
        List<IntFunction<Page<Count>>> requests = new ArrayList<>();
        for (List<String> locationBatch : batches(locations, OmniClient.MAX_LOCATIONS_PER_REQUEST)) {
            for (List<String> skus : skuBatches(skuFilter, OmniClient.MAX_SKUS_PER_REQUEST)) {
                requests.add(page -> {
                    var p = omni.countPage(path, locationBatch, skus, page, pageSize);
                    return new Page<>(p.items(), p.totalCount());
                });
            }
        }
        return new PagedRequestsReader<>(step + "Reader", requests, step, progressInterval);
    }

    private static JdbcBatchItemWriter<Count> countsWriter(String table, long executionId, DataSource dataSource) {
        return new JdbcBatchItemWriterBuilder<Count>()
                .dataSource(dataSource)
                .assertUpdates(false)
                .sql("insert into " + table
                        + " (execution_id, location, sku, quantity) values (?, ?, ?, ?) on conflict do nothing")
                .itemPreparedStatementSetter((c, ps) -> {
                    ps.setLong(1, executionId);
                    ps.setString(2, c.locationInternalName());
                    ps.setString(3, c.sku());
                    ps.setInt(4, c.quantity());
                })
                .build();
    }

    private static DiscrepancyClassifier classifier(ReconcileJobFile jobFile) {
        return new DiscrepancyClassifier(jobFile.definition().reconcile().tolerance());
    }

    /** The job file of this execution, parsed once and shared by its steps. */
    @Bean
    @JobScope
    public ReconcileJobFile reconcileJobFile(@Value("#{jobParameters['" + JOB_FILE + "']}") String jobFile) {
        return new ReconcileJobFile(JobDefinitionLoader.load(Path.of(jobFile)));
    }

    /** A reconciliation's job file as its steps share it (a class, so that the job scope can proxy it). */
    public static class ReconcileJobFile {
        private final JobDefinition definition;

        public ReconcileJobFile(JobDefinition definition) {
            this.definition = definition;
        }

        public JobDefinition definition() {
            return definition;
        }
    }

    /** The SKU filter parameter: comma separated, blanks ignored; none means every SKU. */
    public static List<String> skuFilter(String parameter) {
        if (parameter == null || parameter.isBlank()) {
            return List.of();
        }
        return Arrays.stream(parameter.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
    }

    /** No SKU filter: one request without SKUs; else batches of at most {@code max}. */
    static List<List<String>> skuBatches(List<String> skus, int max) {
        return skus.isEmpty() ? List.of(List.of()) : batches(skus, max);
    }

    static <T> List<List<T>> batches(List<T> items, int size) {
        List<List<T>> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            result.add(List.copyOf(items.subList(i, Math.min(items.size(), i + size))));
        }
        return result;
    }
}
