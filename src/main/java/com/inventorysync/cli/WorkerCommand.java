package com.inventorysync.cli;

import com.inventorysync.ops.DatabaseKind;
import com.inventorysync.ops.FailureMessage;
import com.inventorysync.partition.PartitionWorker;
import com.inventorysync.partition.PartitionWorkerSteps;
import com.inventorysync.partition.PartitioningProperties;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
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
public class WorkerCommand extends ContextCommand implements ApplicationListener<ContextClosedEvent> {
    private final PartitioningProperties settings;
    private final ObjectProvider<JobRepository> jobRepository;
    private final ObjectProvider<DataSource> dataSource;
    private final ObjectProvider<ConnectionFactory> rabbit;
    private final ObjectProvider<AmqpAdmin> admin;
    private final ObjectProvider<PartitionWorkerSteps> steps;
    private final CountDownLatch closed = new CountDownLatch(1);

    WorkerCommand() {
        this(null, null, null, null, null, null);
    }

    @Autowired
    public WorkerCommand(
            PartitioningProperties settings,
            ObjectProvider<JobRepository> jobRepository,
            ObjectProvider<DataSource> dataSource,
            ObjectProvider<ConnectionFactory> rabbit,
            ObjectProvider<AmqpAdmin> admin,
            ObjectProvider<PartitionWorkerSteps> steps) {
        this.settings = settings;
        this.jobRepository = jobRepository;
        this.dataSource = dataSource;
        this.rabbit = rabbit;
        this.admin = admin;
        this.steps = steps;
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
        List<com.inventorysync.partition.WorkerStep> workerSteps =
                steps.orderedStream().flatMap(s -> s.workerSteps().stream()).toList();
        try (PartitionWorker worker = new PartitionWorker(
                settings,
                jobRepository.getObject(),
                dataSource.getObject(),
                connections,
                admin.getObject(),
                workerSteps)) {
            worker.start();
            out.println("worker " + worker.name() + " takes partitions from queue '" + settings.queue() + "' at "
                    + connections.getHost() + ":" + connections.getPort() + "; SIGTERM or Ctrl-C stops it");
            out.flush();
            closed.await();
            out.println("worker " + worker.name() + " stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.COMPLETED;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        closed.countDown();
    }
}
