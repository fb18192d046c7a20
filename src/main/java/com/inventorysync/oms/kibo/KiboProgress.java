package com.inventorysync.oms.kibo;

import com.inventorysync.ops.Progress;
import com.inventorysync.partition.Partition;
import java.time.Duration;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.listener.StepListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Progress of the Kibo steps ({@link Progress}): requests posted of those open when {@code kiboSend}
 * started, and queued jobs finished of those Kibo accepted, round after round of {@code kiboPoll}.
 */
final class KiboProgress {
    private KiboProgress() {}

    /**
     * {@code kiboSend: 3/10 requests posted (30%) ...}, or {@code kiboSend p1/4: ...} for a partition,
     * counting that partition's requests. A refused request's remaining items go out again as a new
     * request (in the same partition), so the total is read again after each post.
     */
    static StepListener posts(KiboRequestStore store, Duration interval) {
        return new Posts(store, interval);
    }

    /** {@code kiboPoll: 7/10 jobs finished (70%) ...}; jobs finished before a restart count in the percentage. */
    static StepListener jobs(KiboRequestStore store, Duration interval) {
        return new Jobs(store, interval);
    }

    private static final class Posts implements StepExecutionListener, ItemWriteListener<Object> {
        private final KiboRequestStore store;
        private final Duration interval;
        private volatile Progress progress;
        private volatile long runId;
        private volatile Partition partition;
        private long posted;

        Posts(KiboRequestStore store, Duration interval) {
            this.store = store;
            this.interval = interval;
        }

        @Override
        public void beforeStep(StepExecution step) {
            runId = KiboSteps.runId(step);
            partition = Partition.of(step.getExecutionContext());
            posted = 0;
            progress = Progress.start(
                    KiboSteps.SEND + partition.label(),
                    store.openRequestCount(runId, partition),
                    "requests posted",
                    interval);
        }

        @Override
        public void afterWrite(Chunk<?> chunk) {
            posted += chunk.size();
            progress.total(posted + store.openRequestCount(runId, partition));
            progress.advance(chunk.size());
        }

        @Override
        public ExitStatus afterStep(StepExecution step) {
            progress.finish();
            return null;
        }
    }

    private static final class Jobs implements StepExecutionListener, ChunkListener<Object, Object> {
        private final KiboRequestStore store;
        private final Duration interval;
        private volatile Progress progress;
        private volatile long runId;

        Jobs(KiboRequestStore store, Duration interval) {
            this.store = store;
            this.interval = interval;
        }

        @Override
        public void beforeStep(StepExecution step) {
            runId = KiboSteps.runId(step);
            long accepted = store.acceptedRequestCount(runId);
            progress = Progress.start("kiboPoll", accepted, "jobs finished", interval);
            long finished = accepted - store.openJobs(runId).size();
            progress.resumedAt(finished, finished);
        }

        /** After each round of status reads, committed. */
        @Override
        public void afterChunk(ChunkContext context) {
            progress.set(
                    store.acceptedRequestCount(runId) - store.openJobs(runId).size());
        }

        @Override
        public ExitStatus afterStep(StepExecution step) {
            progress.finish();
            return null;
        }
    }
}
