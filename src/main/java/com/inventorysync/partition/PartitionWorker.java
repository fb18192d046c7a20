package com.inventorysync.partition;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A worker process's side of remote partitioning: takes partition requests from the RabbitMQ
 * queue one at a time and runs each with Spring Batch Integration's
 * {@link StepExecutionRequestHandler}, against the shared job repository.
 *
 * <p>A request is acknowledged as soon as it is taken, before its partition runs: a partition can
 * run for hours, longer than the broker waits for an acknowledgement, and a worker that dies
 * mid-partition must leave it failed (its updates may be in flight), not handed to another worker
 * as if new. While the partition runs, the worker renews its heartbeat; the manager fails a
 * partition whose worker falls silent. A request for a partition that is no longer waiting (already
 * started by a worker that died, or failed by the manager) is dropped with a warning.
 */
public class PartitionWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);

    private final PartitioningProperties settings;
    private final JobRepository jobRepository;
    private final WorkerHeartbeats heartbeats;
    private final StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
    private final String name;
    private final List<WorkerStep> steps;
    private final SimpleMessageListenerContainer container;
    private final ScheduledExecutorService beats;
    private volatile StepExecution current;
    private volatile boolean closing;

    public PartitionWorker(
            PartitioningProperties settings,
            JobRepository jobRepository,
            DataSource dataSource,
            ConnectionFactory rabbit,
            AmqpAdmin admin,
            List<WorkerStep> steps,
            Duration grace) {
        this.settings = settings;
        this.jobRepository = jobRepository;
        this.heartbeats = new WorkerHeartbeats(new JdbcTemplate(dataSource));
        this.name = workerName();
        this.steps = steps;
        Map<String, Step> byName = steps.stream().collect(Collectors.toMap(Step::getName, Function.identity()));
        handler.setJobRepository(jobRepository);
        handler.setStepLocator(byName::get);
        admin.declareQueue(new Queue(settings.queue(), true));
        this.beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-heartbeat");
            t.setDaemon(true);
            return t;
        });
        this.container = new SimpleMessageListenerContainer(rabbit);
        container.setQueueNames(settings.queue());
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setPrefetchCount(1);
        container.setConcurrentConsumers(1);
        container.setMessageListener((ChannelAwareMessageListener) this::onRequest);
        container.setShutdownTimeout(grace.toMillis());
    }

    /** This worker's name in heartbeats and logs: host and process id. */
    public String name() {
        return name;
    }

    public void start() {
        container.start();
        log.info("worker {} takes partitions from queue '{}'", name, settings.queue());
    }

    private void onRequest(Message message, Channel channel) throws IOException {
        long tag = message.getMessageProperties().getDeliveryTag();
        if (closing) {
            // Taken before the worker was asked to end: back to the queue, for another worker.
            channel.basicReject(tag, true);
            return;
        }
        channel.basicAck(tag, false);
        PartitionRequest request;
        try {
            request = PartitionRequest.fromJson(message.getBody());
        } catch (RuntimeException e) {
            log.warn("dropped a message that is not a partition request: {}", e.getMessage());
            return;
        }
        StepExecution waiting = jobRepository.getStepExecution(request.stepExecutionId());
        if (waiting == null || waiting.getStatus() != BatchStatus.STARTING) {
            log.warn(
                    "partition {} ({}) is {}, not waiting to start: dropped",
                    request.stepExecutionId(),
                    request.stepName(),
                    waiting == null ? "unknown" : waiting.getStatus());
            return;
        }
        heartbeats.begin(request.stepExecutionId(), name);
        long every = settings.heartbeatInterval().toMillis();
        ScheduledFuture<?> beat = beats.scheduleWithFixedDelay(
                () -> beatQuietly(request.stepExecutionId()), every, every, TimeUnit.MILLISECONDS);
        current = waiting;
        try {
            log.info("worker {} runs {} (step execution {})", name, waiting.getStepName(), waiting.getId());
            StepExecution done =
                    handler.handle(new StepExecutionRequest(request.stepName(), request.stepExecutionId()));
            log.info("worker {}: {} ended {}", name, done.getStepName(), done.getStatus());
        } finally {
            current = null;
            beat.cancel(false);
        }
    }

    private void beatQuietly(long stepExecutionId) {
        try {
            heartbeats.beat(stepExecutionId);
        } catch (RuntimeException e) {
            log.warn("worker {}: heartbeat not written: {}", name, e.toString());
        }
    }

    /** The partition this worker runs now, if any. */
    public StepExecution current() {
        return current;
    }

    /**
     * Takes no more requests, asks the partition that runs to stop at its next chunk boundary, and
     * waits for it (at most the shutdown grace): it ends STOPPED, and the run's restart continues it.
     */
    @Override
    public void close() {
        StepExecution running = current;
        if (running != null) {
            log.warn("worker {} is asked to end: stopping {} at its next chunk", name, running.getStepName());
        }
        closing = true;
        steps.forEach(WorkerStep::stopRunning);
        container.stop();
        beats.shutdownNow();
    }

    private static String workerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }
}
