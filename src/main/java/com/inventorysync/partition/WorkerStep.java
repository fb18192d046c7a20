package com.inventorysync.partition;

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
        try {
            build.get().execute(stepExecution);
        } finally {
            JobSynchronizationManager.release();
        }
    }
}
