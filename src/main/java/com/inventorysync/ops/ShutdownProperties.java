package com.inventorysync.ops;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the process ends when asked to ({@code inventory-sync.shutdown.*}).
 *
 * @param grace how long a SIGTERM waits for the running sync to stop at a chunk boundary
 */
@Validated
@ConfigurationProperties("inventory-sync.shutdown")
public record ShutdownProperties(
        @DefaultValue("60s") @NotNull @DurationMin(millis = 0)
        Duration grace) {}
