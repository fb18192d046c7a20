package com.inventorysync.job;

import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.jobdef.JobDefinitionLoader;
import com.inventorysync.oms.OmsRun;
import java.nio.file.Path;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * What a step needs to know about the run it works for. The run id is the job instance id: the
 * rows a run stages, rejects and plans carry it, so a restart picks them up again.
 */
public record SyncRun(
        long runId,
        long executionId,
        JobDefinition definition,
        Path snapshot,
        boolean dryRun,
        boolean force,
        Path outputDir)
        implements OmsRun {

    public static SyncRun of(JobExecution execution, Path outputRoot) {
        JobParameters p = execution.getJobParameters();
        JobDefinition definition = JobDefinitionLoader.load(Path.of(p.getString(SyncJobParameters.DEFINITION_FILE)));
        return new SyncRun(
                execution.getJobInstanceId(),
                execution.getId(),
                definition,
                Path.of(p.getString(SyncJobParameters.SNAPSHOT_FILE)),
                Boolean.parseBoolean(p.getString(SyncJobParameters.DRY_RUN)),
                Boolean.parseBoolean(p.getString(SyncJobParameters.FORCE)),
                outputDir(outputRoot, definition.name(), execution.getId()));
    }

    public static Path outputDir(Path outputRoot, String jobName, long executionId) {
        return outputRoot.resolve(jobName).resolve(Long.toString(executionId));
    }
}
