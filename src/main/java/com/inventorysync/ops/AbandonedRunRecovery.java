package com.inventorysync.ops;

import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Executions left STARTED by a process that died (killed JVM, reboot) are marked FAILED with Spring
 * Batch's own {@link JobOperator#recover(JobExecution)}, so that they can be restarted without
 * anyone editing the job repository by hand.
 *
 * <p>Only call this while holding the job's {@link JobRunLock}: holding it proves that no live
 * process runs the job, so every execution still marked running is an orphan.
 */
@Component
public class AbandonedRunRecovery {
    private static final Logger log = LoggerFactory.getLogger(AbandonedRunRecovery.class);

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;

    public AbandonedRunRecovery(JobRepository jobRepository, JobOperator jobOperator) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
    }

    /**
     * @param lock proof that no live process runs this job
     * @param batchJobName the Spring Batch job name (e.g. {@code sync})
     * @param ofThisJob which of that batch job's executions belong to the locked job definition
     * @return the executions that were recovered (now FAILED and restartable)
     */
    public List<JobExecution> recoverOrphans(
            JobRunLock.Held lock, String batchJobName, Predicate<JobExecution> ofThisJob) {
        List<JobExecution> orphans = jobRepository.findRunningJobExecutions(batchJobName).stream()
                .filter(ofThisJob)
                .toList();
        for (JobExecution orphan : orphans) {
            log.warn(
                    "Execution {} of job '{}' was left {} by a process that is gone; marking it FAILED so it can restart",
                    orphan.getId(),
                    lock.jobName(),
                    orphan.getStatus());
            jobOperator.recover(orphan);
        }
        return orphans;
    }
}
