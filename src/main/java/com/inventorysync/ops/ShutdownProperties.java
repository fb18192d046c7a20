package com.inventorysync.ops;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the process ends when asked to ({@code inventory-sync.shutdown.*}).
 *
 * @param grace how long a SIGTERM waits for the running sync to stop at a chunk boundary
 */
@ConfigurationProperties("inventory-sync.shutdown")
public record ShutdownProperties(Duration grace) {
    public ShutdownProperties {
        grace = grace != null ? grace : Duration.ofSeconds(60);
    }
}
