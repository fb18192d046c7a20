package com.inventorysync.cli;

import com.inventorysync.ops.DatabaseKind;
import com.inventorysync.ops.FailureMessage;
import com.inventorysync.ops.ShutdownProperties;
import com.inventorysync.partition.PartitionWorker;
import com.inventorysync.partition.PartitionWorkerSteps;
import com.inventorysync.partition.PartitioningProperties;
import com.inventorysync.partition.WorkerStep;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import picocli.CommandLine.Command;

/**
 * {@code worker}: runs the partitions that managers in {@code remote} mode send over RabbitMQ,
 * until SIGTERM or Ctrl-C.
 */
@Component
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = {
            "Runs partitions of sync jobs whose manager runs with inventory-sync.partitioning.mode=remote, until SIGTERM or"
                    + " Ctrl-C.",
            "It takes them from the RabbitMQ queue inventory-sync.partitioning.queue (spring.rabbitmq.* says where RabbitMQ is)"
                    + " and needs the manager's PostgreSQL job repository (SPRING_DATASOURCE_URL), job files and OMS credentials."
        })
public class WorkerCommand extends ContextCommand implements SmartLifecycle {
    private final PartitioningProperties settings;
    private final ObjectProvider<JobRepository> jobRepository;
    private final ObjectProvider<DataSource> dataSource;
    private final ObjectProvider<ConnectionFactory> rabbit;
    private final ObjectProvider<AmqpAdmin> admin;
    private final ObjectProvider<PartitionWorkerSteps> steps;
    private final ShutdownProperties shutdown;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile PartitionWorker running;

    WorkerCommand() {
        this(null, null, null, null, null, null, null);
    }

    @Autowired
    public WorkerCommand(
            PartitioningProperties settings,
            ObjectProvider<JobRepository> jobRepository,
            ObjectProvider<DataSource> dataSource,
            ObjectProvider<ConnectionFactory> rabbit,
            ObjectProvider<AmqpAdmin> admin,
            ObjectProvider<PartitionWorkerSteps> steps,
            ShutdownProperties shutdown) {
        this.settings = settings;
        this.jobRepository = jobRepository;
        this.dataSource = dataSource;
        this.rabbit = rabbit;
        this.admin = admin;
        this.steps = steps;
        this.shutdown = shutdown;
    }

    @Override
    public Integer call() {
        if (!DatabaseKind.isPostgres(new JdbcTemplate(dataSource.getObject()))) {
            out.println("worker: a worker shares the manager's job repository, which must be PostgreSQL;"
                    + " set SPRING_DATASOURCE_URL (and _USERNAME/_PASSWORD) to the manager's database");
            return ExitCode.BAD_INPUT;
        }
        ConnectionFactory connections = rabbit.getObject();
        try {
            connections.createConnection().close();
        } catch (RuntimeException e) {
            out.println("worker: cannot reach RabbitMQ at " + connections.getHost() + ":" + connections.getPort() + ": "
                    + FailureMessage.of(e) + " (spring.rabbitmq.host, spring.rabbitmq.port, ...)");
            return ExitCode.FAILED;
        }
        List<WorkerStep> workerSteps =
                steps.orderedStream().flatMap(s -> s.workerSteps().stream()).toList();
        PartitionWorker worker = new PartitionWorker(
                settings,
                jobRepository.getObject(),
                dataSource.getObject(),
                connections,
                admin.getObject(),
                workerSteps,
                shutdown.grace());
        running = worker;
        worker.start();
        out.println("worker " + worker.name() + " takes partitions from queue '" + settings.queue() + "' at "
                + connections.getHost() + ":" + connections.getPort() + "; SIGTERM or Ctrl-C stops it");
        out.flush();
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println("worker " + worker.name() + " stopped");
        return ExitCode.COMPLETED;
    }

    /**
     * On SIGTERM, while the context closes and before the database pool does: the partition that
     * runs stops at its next chunk boundary (within the shutdown grace), then {@link #call} returns.
     */
    @Override
    public void stop() {
        PartitionWorker worker = running;
        running = null;
        try {
            if (worker != null) {
                worker.close();
            }
        } finally {
            closed.countDown();
        }
    }

    @Override
    public void start() {}

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
