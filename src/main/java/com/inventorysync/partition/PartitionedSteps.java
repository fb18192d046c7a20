package com.inventorysync.partition;

import com.inventorysync.ops.DatabaseKind;
import com.inventorysync.ops.RunLogContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import javax.sql.DataSource;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.support.SimpleStepExecutionSplitter;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Builds a sync job's partitioned steps with Spring Batch's partitioning: a manager step that
 * splits its work into partitions and runs them on this process's bounded pool ({@code local}) or
 * sends them to worker processes over RabbitMQ ({@code remote}). Each partition is a step
 * execution of its own in the job repository: a restart runs again only the partitions that did
 * not complete, however the manager step itself is set to restart.
 */
@Component
public class PartitionedSteps {
    private final JobRepository jobRepository;
    private final PartitioningProperties settings;
    private final ObjectProvider<RabbitTemplate> rabbit;
    private final WorkerHeartbeats heartbeats;
    private final LocationPartitions locations;
    private final JdbcTemplate jdbc;
    private ThreadPoolTaskExecutor pool;

    public PartitionedSteps(
            JobRepository jobRepository,
            PartitioningProperties settings,
            ObjectProvider<RabbitTemplate> rabbit,
            DataSource dataSource) {
        this.jobRepository = jobRepository;
        this.settings = settings;
        this.rabbit = rabbit;
        this.jdbc = new JdbcTemplate(dataSource);
        this.heartbeats = new WorkerHeartbeats(jdbc);
        this.locations = new LocationPartitions(jdbc);
    }

    /** Why a run cannot start with these settings on this database, or null. */
    public String startProblem() {
        if (settings.mode() == PartitioningProperties.Mode.REMOTE && !DatabaseKind.isPostgres(jdbc)) {
            return "inventory-sync.partitioning.mode=remote needs a job repository the workers share: set"
                    + " SPRING_DATASOURCE_URL to PostgreSQL (the embedded H2 database is this process's alone);"
                    + " nothing was started";
        }
        return null;
    }

    public PartitioningProperties settings() {
        return settings;
    }

    public LocationPartitions locations() {
        return locations;
    }

    /**
     * @param name        the manager step's name (what status shows)
     * @param worker      the step each partition runs; its executions are named {@code <worker>:p<n>}
     * @param partitions  how many partitions the run has, given the configured grid size (called on
     *                    every start of the manager step: it must answer the same for a run every time)
     * @param restartable whether the manager step starts again on a restart even when it completed
     */
    public Step partitioned(String name, WorkerStep worker, IntUnaryOperator partitions, boolean restartable) {
        Partitioner partitioner = grid -> {
            int count = partitions.applyAsInt(grid);
            Map<String, ExecutionContext> contexts = new HashMap<>();
            for (int i = 0; i < count; i++) {
                Partition p = new Partition(i, count);
                contexts.put(p.name(), p.context());
            }
            return contexts;
        };
        // Completed partitions are never run again, even when the manager step is.
        SimpleStepExecutionSplitter splitter =
                new SimpleStepExecutionSplitter(jobRepository, worker.getName(), partitioner);
        splitter.setAllowStartIfComplete(false);
        return new StepBuilder(name, jobRepository)
                .partitioner(worker.getName(), partitioner)
                .splitter(splitter)
                .partitionHandler(handler(worker))
                .allowStartIfComplete(restartable)
                .build();
    }

    private PartitionHandler handler(WorkerStep worker) {
        int grid = settings.gridSize();
        if (settings.mode() == PartitioningProperties.Mode.REMOTE) {
            return new RemotePartitionHandler(
                    worker.getName(), grid, rabbit.getObject(), jobRepository, heartbeats, settings);
        }
        TaskExecutorPartitionHandler local = new TaskExecutorPartitionHandler();
        local.setStep(worker);
        local.setGridSize(grid);
        local.setTaskExecutor(pool());
        return local;
    }

    private synchronized ThreadPoolTaskExecutor pool() {
        if (pool == null) {
            pool = new ThreadPoolTaskExecutor();
            int threads = Math.min(settings.threads(), settings.gridSize());
            pool.setCorePoolSize(threads);
            pool.setMaxPoolSize(threads);
            pool.setThreadNamePrefix("partition-");
            pool.setDaemon(true);
            pool.setTaskDecorator(RunLogContext::carrying);
            pool.initialize();
        }
        return pool;
    }
}
