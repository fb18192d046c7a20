package com.inventorysync.oms;

import com.inventorysync.jobdef.JobDefinition;
import java.nio.file.Path;

/**
 * The run a job execution works for, as its steps see it: the job file parsed once per execution
 * (a job-scoped bean), the snapshot, and where its files go. The run id is the job instance id,
 * which every row the run stages, rejects and plans carries, so a restart picks them up again.
 */
public interface OmsRun {
    /** Where finish-ingest keeps how many rows the run staged (its step execution context). */
    String ROWS_STAGED = "rows.staged";

    long runId();

    long executionId();

    JobDefinition definition();

    Path snapshot();

    boolean dryRun();

    boolean force();

    /** Where this execution writes its files: {@code <output-dir>/<job>/<execution>/}. */
    Path outputDir();

    default Path rejectFile() {
        return outputDir().resolve("rejects.csv");
    }
}
