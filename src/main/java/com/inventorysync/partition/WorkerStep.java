package com.inventorysync.partition;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;

/**
 * The step each partition runs, on a thread of the local pool or in a worker process. The concrete
 * step is built per partition execution, from the run's job file (chunk size and concurrency come
 * from it), with the run's job scope bound to the executing thread: the job-scoped run is then the
 * same for a partition as for the manager, whichever thread or process runs it.
 */
public final class WorkerStep implements Step {
    private final String name;
    private final Supplier<Step> build;
    private final Set<StepExecution> running = ConcurrentHashMap.newKeySet();

    /** @param build builds the step for the run bound to the calling thread's job scope */
    public WorkerStep(String name, Supplier<Step> build) {
        this.name = name;
        this.build = build;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void execute(StepExecution stepExecution) throws JobInterruptedException {
        JobSynchronizationManager.register(stepExecution.getJobExecution());
        running.add(stepExecution);
        try {
            build.get().execute(stepExecution);
        } finally {
            running.remove(stepExecution);
            JobSynchronizationManager.release();
        }
    }

    /**
     * Asks the partitions this step runs in this process to stop at their next chunk boundary (a
     * worker asked to end): they end STOPPED, their sends answered and recorded, for a restart to
     * continue.
     */
    public void stopRunning() {
        running.forEach(StepExecution::setTerminateOnly);
    }
}
