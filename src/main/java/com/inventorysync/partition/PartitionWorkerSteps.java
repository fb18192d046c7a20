package com.inventorysync.partition;

import java.util.List;

/** What a slice runs in partitions: the steps a worker process can be asked to run, by name. */
public interface PartitionWorkerSteps {
    List<WorkerStep> workerSteps();
}
