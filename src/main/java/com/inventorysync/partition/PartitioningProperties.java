package com.inventorysync.partition;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a sync job's plan and send steps are partitioned ({@code inventory-sync.partitioning.*}).
 *
 * @param mode              {@code local}: the partitions run on a bounded pool of this process;
 *                          {@code remote}: they are sent to worker processes over RabbitMQ, and this process runs none
 * @param gridSize          partitions per partitioned step; 1 in {@code local} mode runs the steps unpartitioned
 * @param threads           the most partitions one process runs at once in {@code local} mode
 * @param queue             the RabbitMQ queue partitions are sent on ({@code remote})
 * @param heartbeatInterval how often a worker says it is alive while it runs a partition
 * @param workerTimeout     a partition whose worker has not said so for this long is failed, for a restart to run again
 * @param pollInterval      how often the manager reads the partitions' states from the job repository
 */
@Validated
@ConfigurationProperties("inventory-sync.partitioning")
public record PartitioningProperties(
        @DefaultValue("local") @NotNull Mode mode,
        @DefaultValue("1") @Min(1) @Max(256) int gridSize,
        @DefaultValue("4") @Min(1) @Max(64) int threads,
        @DefaultValue("inventory-sync.partitions") @NotBlank String queue,
        @DefaultValue("5s") @NotNull Duration heartbeatInterval,
        @DefaultValue("60s") @NotNull Duration workerTimeout,
        @DefaultValue("1s") @NotNull Duration pollInterval) {

    public enum Mode {
        LOCAL,
        REMOTE
    }

    /** Whether the plan and send steps are partition steps at all. */
    public boolean partitioned() {
        return mode == Mode.REMOTE || gridSize > 1;
    }
}
