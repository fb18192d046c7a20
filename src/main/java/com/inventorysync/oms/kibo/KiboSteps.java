package com.inventorysync.oms.kibo;

import com.inventorysync.http.AdaptiveLimiter;
import com.inventorysync.http.VendorHttpException;
import com.inventorysync.jobdef.JobDefinition.KiboTarget;
import com.inventorysync.partition.Partition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.listener.StepListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Kibo target's steps in a sync job, after ingest: plan, build requests, send, poll.
 * Every step works on the run's rows (a run is the job instance, so a restart continues the same
 * rows) and can be repeated: plan and build do nothing when their rows exist; send picks up the
 * requests not yet answered; poll reads the jobs not yet finished.
 *
 * <p>The job parameter {@value #FULL_REFRESH_PARAMETER} (locations separated by commas, or
 * {@code *}) asks for a full refresh of those locations: every key, changed or not.
 */
@Component
public class KiboSteps {
    public static final String FULL_REFRESH_PARAMETER = "kibo.full-refresh";
    public static final String SEND = "kiboSend";
    /** The step each partition of a partitioned {@code kiboSend} runs. */
    public static final String SEND_PARTITION = "kiboSend-partition";

    private static final Logger log = LoggerFactory.getLogger(KiboSteps.class);

    private final KiboRequestStore store;
    private final KiboOptionalFields optionalFields;
    private final KiboClients clients;
    private final KiboOptions options;
    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;

    public KiboSteps(
            KiboRequestStore store,
            KiboClients clients,
            KiboOptions options,
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            JdbcTemplate jdbc) {
        this.store = store;
        this.optionalFields = new KiboOptionalFields(jdbc);
        this.clients = clients;
        this.options = options;
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
    }

    /** The run a step works on: its job instance. */
    public static long runId(StepExecution step) {
        return step.getJobExecution().getJobInstance().getInstanceId();
    }

    /** Where a run's snapshot is and how its columns are named (the job's {@code source.columns}). */
    public record Snapshot(Path file, Map<String, String> columns) {}

    /**
     * Stages the optional Kibo fields of the snapshot's rows at Kibo locations (see
     * {@link KiboOptionalFields}); a snapshot without such columns stages nothing. Runs after ingest.
     */
    public Step optionalFieldsStep(
            Function<StepExecution, KiboTarget> target, Function<StepExecution, Snapshot> snapshot) {
        return new StepBuilder("kiboOptionalFields", jobRepository)
                .tasklet(
                        (contribution, chunk) -> {
                            StepExecution step = contribution.getStepExecution();
                            Snapshot s = snapshot.apply(step);
                            int staged = optionalFields.stage(
                                    runId(step),
                                    s.file(),
                                    s.columns(),
                                    target.apply(step).locations().keySet());
                            contribution.incrementWriteCount(staged);
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    public Step planStep(Function<StepExecution, KiboTarget> target) {
        return new StepBuilder("kiboPlan", jobRepository)
                .tasklet(
                        (contribution, chunk) -> {
                            StepExecution step = contribution.getStepExecution();
                            long runId = runId(step);
                            if (store.hasPlan(runId)) {
                                return RepeatStatus.FINISHED;
                            }
                            KiboTarget kibo = target.apply(step);
                            Set<String> full = fullRefresh(step, kibo);
                            int planned = store.plan(runId, kibo.locations().keySet(), full);
                            step.getExecutionContext().putInt("kibo.planned", planned);
                            contribution.incrementWriteCount(planned);
                            log.info(
                                    "Kibo plan: {} keys to refresh{}",
                                    planned,
                                    full.isEmpty() ? "" : " (full refresh of " + full + ")");
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    public Step buildStep(Function<StepExecution, KiboTarget> target) {
        KiboRequestBuilder builder = new KiboRequestBuilder(store, optionalFields);
        return new StepBuilder("kiboBuildRequests", jobRepository)
                .tasklet(
                        (contribution, chunk) -> {
                            StepExecution step = contribution.getStepExecution();
                            long runId = runId(step);
                            if (!store.hasRequests(runId)) {
                                List<KiboRequestBuilder.Built> built = builder.build(runId, target.apply(step));
                                contribution.incrementWriteCount(built.stream()
                                        .mapToInt(b -> b.requestSizes().size())
                                        .sum());
                            }
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    /**
     * One request per chunk: the processor loads it and rebuilds its payload (no HTTP), the writer
     * posts it and records the answer, and the chunk's commit makes that durable. The request is
     * marked POSTED in a transaction of its own just before the POST, so that a request whose answer
     * was lost in a crash shows as such; a restart posts it again, which refresh, being absolute and
     * idempotent, makes harmless. An ACCEPTED request is never read again.
     *
     * @param listeners more listeners for the step (progress, metrics)
     */
    public Step sendStep(Function<StepExecution, KiboTarget> target, StepListener... listeners) {
        return sendStep(SEND, target, listeners);
    }

    /**
     * {@code kiboSend}, or a partition of it ({@value #SEND_PARTITION}): a step execution given a
     * {@link Partition} sends only the requests of that partition ({@link KiboSendPartitions}).
     */
    public Step sendStep(String name, Function<StepExecution, KiboTarget> target, StepListener... listeners) {
        SendState state = new SendState();
        TransactionTemplate ownTransaction = new TransactionTemplate(transactionManager);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

        ItemReader<Long> reader =
                () -> store.nextOpenRequest(state.runId, state.partition).orElse(null);
        ItemProcessor<Long, Ready> processor = requestId -> {
            KiboRequestStore.OpenRequest request = store.load(requestId);
            KiboRefreshRequest body = new KiboRefreshRequest(
                    request.locationName(),
                    request.items().stream()
                            .map(i -> state.validator.validate(i.source()).item())
                            .toList());
            if (body.items().contains(null)) {
                throw new IllegalStateException("request " + requestId + " holds an item that no longer validates");
            }
            return new Ready(request, body);
        };
        ItemWriter<Ready> writer = (Chunk<? extends Ready> chunk) -> {
            for (Ready ready : chunk) {
                long requestId = ready.request().id();
                ownTransaction.executeWithoutResult(tx -> store.markPosted(requestId));
                record(ready.request(), post(state.client, ready.body(), requestId));
            }
        };
        var step = new StepBuilder(name, jobRepository)
                .<Long, Ready>chunk(1)
                .transactionManager(transactionManager)
                .reader(reader)
                .processor(processor)
                .writer(writer)
                .listener(new StepExecutionListener() {
                    @Override
                    public void beforeStep(StepExecution step) {
                        KiboTarget kibo = target.apply(step);
                        state.runId = runId(step);
                        state.partition = Partition.of(step.getExecutionContext());
                        state.validator = new KiboItemValidator(kibo.identifier());
                        state.client = clients.client(kibo.basePath());
                        // One refresh at a time; the pace is the job's rate-limit, or what Kibo's 429s teach.
                        clients.limiter().startRun("kibo execution " + step.getJobExecutionId());
                        clients.limiter().configure(new AdaptiveLimiter.Settings(1, kibo.rateLimit(), true));
                    }
                });
        for (StepListener listener : listeners) {
            step.listener(listener);
        }
        return step.build();
    }

    /** Kibo's answer to the request; a 4xx other than 401 is a refusal of the request itself, which repeating will not change. */
    private static KiboRefreshOutcome post(KiboClient client, KiboRefreshRequest body, long requestId) {
        try {
            return client.refresh(body, "kibo-req-" + requestId);
        } catch (VendorHttpException e) {
            if (!e.isClientError() || e.status() == 401) {
                throw e;
            }
            return new KiboRefreshOutcome.Refused(
                    e.getMessage(), List.of(new KiboRefreshOutcome.ItemError(-1, e.getMessage())));
        }
    }

    private void record(KiboRequestStore.OpenRequest request, KiboRefreshOutcome outcome) {
        if (outcome instanceof KiboRefreshOutcome.Accepted accepted) {
            store.recordAccepted(request.id(), accepted.jobId());
            log.info(
                    "Kibo request {} ({} items at {}) queued as job {}",
                    request.id(),
                    request.items().size(),
                    request.locationName(),
                    accepted.jobId());
            return;
        }
        KiboRefreshOutcome.Refused refused = (KiboRefreshOutcome.Refused) outcome;
        Map<Integer, String> reasons = new LinkedHashMap<>();
        String whole = null;
        for (KiboRefreshOutcome.ItemError error : refused.errors()) {
            if (error.index() >= 0 && error.index() < request.items().size()) {
                reasons.merge(error.index(), error.message(), (a, b) -> a + "; " + b);
            } else {
                whole = whole == null ? error.message() : whole + "; " + error.message();
            }
        }
        if (reasons.isEmpty() && whole == null) {
            whole = refused.message() != null ? refused.message() : "refused without reasons";
        }
        var followUp = store.recordRefused(request, refused.message(), reasons, whole);
        log.warn(
                "Kibo refused request {} ({} items at {}): {}; {}",
                request.id(),
                request.items().size(),
                request.locationName(),
                whole != null ? "the request itself: " + whole : reasons.size() + " items rejected",
                followUp.map(id -> "the other items go out again as request " + id)
                        .orElse("nothing left to send"));
    }

    /**
     * Polls the queue status of every job the run's accepted requests became, until each is
     * COMPLETED or FAILED or {@code inventory-sync.kibo.poll-timeout} has passed. One round per
     * tasklet call, so each round's statuses are committed before the pause.
     *
     * @param listeners more listeners for the step (progress): step execution listeners, and chunk listeners, called after each round
     */
    public Step pollStep(Function<StepExecution, KiboTarget> target, StepListener... listeners) {
        var poll = new StepBuilder("kiboPoll", jobRepository)
                .tasklet(
                        (contribution, chunk) -> {
                            StepExecution step = contribution.getStepExecution();
                            long runId = runId(step);
                            KiboClient client =
                                    clients.client(target.apply(step).basePath());
                            String startKey = "kibo.poll.started";
                            if (!step.getExecutionContext().containsKey(startKey)) {
                                step.getExecutionContext().putLong(startKey, System.currentTimeMillis());
                            } else {
                                Thread.sleep(options.pollInterval().toMillis());
                            }
                            List<KiboRequestStore.QueuedJob> open = store.openJobs(runId);
                            for (KiboRequestStore.QueuedJob job : open) {
                                KiboQueueJob status = client.queueStatus(job.jobId());
                                store.recordQueueStatus(job.requestId(), status);
                                if (status.finished()) {
                                    log.info(
                                            "Kibo job {} ({} items at {}): {}, {} processed, {} errors",
                                            job.jobId(),
                                            job.itemCount(),
                                            job.locationName(),
                                            status.status(),
                                            status.processedCount(),
                                            status.errorCount());
                                }
                            }
                            List<KiboRequestStore.QueuedJob> stillOpen = store.openJobs(runId);
                            if (stillOpen.isEmpty()) {
                                return RepeatStatus.FINISHED;
                            }
                            Instant started = Instant.ofEpochMilli(
                                    step.getExecutionContext().getLong(startKey));
                            if (Duration.between(started, Instant.now()).compareTo(options.pollTimeout()) >= 0) {
                                log.warn(
                                        "Kibo poll: stopped waiting after {}; {} job(s) still open: {}",
                                        options.pollTimeout(),
                                        stillOpen.size(),
                                        stillOpen.stream()
                                                .map(j -> String.valueOf(j.jobId()))
                                                .collect(Collectors.joining(", ")));
                                step.getExecutionContext().putInt("kibo.poll.open", stillOpen.size());
                                step.setExitStatus(new ExitStatus(
                                        "COMPLETED", "Kibo jobs still open after " + options.pollTimeout()));
                                return RepeatStatus.FINISHED;
                            }
                            return RepeatStatus.CONTINUABLE;
                        },
                        transactionManager);
        for (StepListener listener : listeners) {
            if (listener instanceof StepExecutionListener s) {
                poll.listener(s);
            }
            if (listener instanceof ChunkListener<?, ?> c) {
                poll.listener(c);
            }
        }
        return poll.build();
    }

    /** The mapped locations the run was asked to refresh in full (job parameter {@value #FULL_REFRESH_PARAMETER}). */
    public static Set<String> fullRefresh(StepExecution step, KiboTarget kibo) {
        String value = step.getJobParameters().getString(FULL_REFRESH_PARAMETER);
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        Set<String> named = Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        if (named.contains("*")) {
            return Set.copyOf(kibo.locations().keySet());
        }
        named.retainAll(kibo.locations().keySet());
        return named;
    }

    /** What is wrong with a {@value #FULL_REFRESH_PARAMETER} value for this job, or null when it is usable. */
    public static String fullRefreshProblem(String value, KiboTarget kibo) {
        if (kibo == null) {
            return "the job definition has no kibo section";
        }
        List<String> named = Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        if (named.isEmpty()) {
            return "name one or more of the kibo locations "
                    + new TreeSet<>(kibo.locations().keySet()) + ", or *";
        }
        List<String> unknown = named.stream()
                .filter(n -> !n.equals("*") && !kibo.locations().containsKey(n))
                .toList();
        return unknown.isEmpty()
                ? null
                : "not a kibo location of this job: " + unknown + " (kibo locations: "
                        + new TreeSet<>(kibo.locations().keySet()) + ")";
    }

    /** A request read back and its payload rebuilt, ready to post. */
    record Ready(KiboRequestStore.OpenRequest request, KiboRefreshRequest body) {}

    private static final class SendState {
        volatile long runId;
        volatile Partition partition = Partition.WHOLE;
        volatile KiboItemValidator validator;
        volatile KiboClient client;
    }
}
