package com.inventorysync.ops;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Progress lines of the long steps ({@code inventory-sync.progress.*}, see {@link Progress}).
 *
 * @param interval at most one progress line per step this often (a {@link Duration}: {@code 10s}, {@code 1m}, {@code 500ms})
 */
@Validated
@ConfigurationProperties("inventory-sync.progress")
public record ProgressProperties(
        @DefaultValue("10s") @DurationMin(millis = 1, message = "must be a positive duration, e.g. 10s")
        Duration interval) {

    /** The default interval, for code built outside the application context. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
}
