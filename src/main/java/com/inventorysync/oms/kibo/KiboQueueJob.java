package com.inventorysync.oms.kibo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The status of one queued inventory job, as Kibo's queue reports it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KiboQueueJob(
        @JsonProperty("jobID") long jobId,
        String type,
        String status,
        int itemCount,
        int processedCount,
        int errorCount) {

    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";
    /** Not a Kibo status: the queue answered 404 for the job. */
    public static final String NOT_FOUND = "NOT_FOUND";

    public boolean finished() {
        return COMPLETED.equals(status) || FAILED.equals(status) || NOT_FOUND.equals(status);
    }
}
