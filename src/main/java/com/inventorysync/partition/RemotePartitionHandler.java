package com.inventorysync.partition;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.messaging.MessageChannel;

/**
 * Spring Batch Integration's remote partitioning over RabbitMQ: each partition's step execution
 * is sent to the workers' queue, and the manager polls the shared job repository until every
 * partition has ended. Meanwhile it watches the workers' heartbeats: a partition whose worker has
 * been silent for longer than the worker timeout (the process was killed, its machine lost) is
 * marked FAILED, so that the step ends and a restart runs that partition again on a live worker.
 */
final class RemotePartitionHandler extends MessageChannelPartitionHandler {
    private static final Logger log = LoggerFactory.getLogger(RemotePartitionHandler.class);

    private final JobRepository jobRepository;
    private final WorkerHeartbeats heartbeats;
    private final PartitioningProperties settings;

    RemotePartitionHandler(
            String workerStepName,
            int gridSize,
            RabbitTemplate rabbit,
            JobRepository jobRepository,
            WorkerHeartbeats heartbeats,
            PartitioningProperties settings) {
        this.jobRepository = jobRepository;
        this.heartbeats = heartbeats;
        this.settings = settings;
        MessageChannel toWorkers = (message, timeout) -> {
            StepExecutionRequest request = (StepExecutionRequest) message.getPayload();
            var body = new PartitionRequest(request.getStepName(), request.getStepExecutionId()).toJson();
            MessageProperties properties = new MessageProperties();
            properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
            rabbit.send("", settings.queue(), new org.springframework.amqp.core.Message(body, properties));
            return true;
        };
        // Declared by the manager too: a message sent before any worker declared the queue would be dropped.
        new RabbitAdmin(rabbit).declareQueue(new Queue(settings.queue(), true));
        setMessagingOperations(new MessagingTemplate(toWorkers));
        setStepName(workerStepName);
        setGridSize(gridSize);
        setJobRepository(jobRepository);
        setPollInterval(settings.pollInterval().toMillis());
        try {
            afterPropertiesSet();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution manager, Set<StepExecution> partitions) throws Exception {
        log.info(
                "{}: {} partition(s) sent to the workers on queue '{}'",
                manager.getStepName(),
                partitions.size(),
                settings.queue());
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "partition-watchdog");
            t.setDaemon(true);
            return t;
        });
        long every = settings.pollInterval().toMillis();
        watchdog.scheduleWithFixedDelay(
                () -> failLost(manager, partitions.size()), every, every, TimeUnit.MILLISECONDS);
        try {
            return super.doHandle(manager, partitions);
        } finally {
            watchdog.shutdownNow();
        }
    }

    private long lastReport;

    private void failLost(StepExecution manager, int total) {
        try {
            List<WorkerHeartbeats.Running> running = heartbeats.running(manager.getJobExecutionId());
            for (WorkerHeartbeats.Running r : running) {
                if (r.silentFor().compareTo(settings.workerTimeout()) > 0) {
                    fail(r);
                }
            }
            long now = System.nanoTime();
            if (now - lastReport > 30_000_000_000L) {
                lastReport = now;
                log.info(
                        "{}: {} of {} partition(s) running on workers {}",
                        manager.getStepName(),
                        running.size(),
                        total,
                        running.stream()
                                .map(WorkerHeartbeats.Running::worker)
                                .distinct()
                                .toList());
            }
        } catch (RuntimeException e) {
            log.warn("{}: could not check the workers' heartbeats: {}", manager.getStepName(), e.toString());
        }
    }

    private void fail(WorkerHeartbeats.Running lost) {
        StepExecution execution = jobRepository.getStepExecution(lost.stepExecutionId());
        if (execution == null || execution.getStatus() != BatchStatus.STARTED) {
            return;
        }
        String why = "worker " + lost.worker() + " has not been heard from for "
                + lost.silentFor().toSeconds()
                + " s (inventory-sync.partitioning.worker-timeout "
                + settings.workerTimeout().toSeconds()
                + " s): the partition is failed, for a restart to run it again";
        log.warn("{}: {}", lost.stepName(), why);
        execution.setStatus(BatchStatus.FAILED);
        execution.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
        execution.setEndTime(LocalDateTime.now());
        jobRepository.update(execution);
    }
}
