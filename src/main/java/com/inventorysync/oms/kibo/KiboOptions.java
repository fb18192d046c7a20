package com.inventorysync.oms.kibo;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Tuning of the Kibo target beside the fixed connection settings ({@code inventory-sync.kibo.base-url},
 * {@code token-url}, {@code client-id}, {@code client-secret}) that
 * {@link com.inventorysync.config.InventorySyncProperties} binds from the same prefix.
 *
 * @param tokenClockSkew a token is renewed this long before it expires, so no request carries one that expires in flight
 * @param pollInterval   pause between two rounds of queue-status reads
 * @param pollTimeout    the poll step stops waiting after this long; jobs still open are reported as such
 * @param readTimeout    response timeout of every Kibo call (a 12000-item refresh can take a while to be queued);
 *                       the connect timeout and the retries are the shared inventory-sync.http.* settings
 */
@Validated
@ConfigurationProperties("inventory-sync.kibo")
public record KiboOptions(
        @DefaultValue("60s") @NotNull @DurationMin(millis = 0)
        Duration tokenClockSkew,

        @DefaultValue("2s") @NotNull @DurationMin(millis = 1)
        Duration pollInterval,

        @DefaultValue("15m") @NotNull @DurationMin(millis = 1)
        Duration pollTimeout,

        @DefaultValue("120s") @NotNull @DurationMin(millis = 1)
        Duration readTimeout) {}
