package com.inventorysync.oms.kibo;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tuning of the Kibo target beside the fixed connection settings ({@code inventory-sync.kibo.base-url},
 * {@code token-url}, {@code client-id}, {@code client-secret}) that
 * {@link com.inventorysync.config.InventorySyncProperties} binds from the same prefix.
 *
 * @param tokenClockSkew a token is renewed this long before it expires, so no request carries one that expires in flight
 * @param pollInterval   pause between two rounds of queue-status reads
 * @param pollTimeout    the poll step stops waiting after this long; jobs still open are reported as such
 * @param readTimeout    response timeout of every Kibo call (a 12000-item refresh can take a while to be queued);
 *                       the connect timeout and the retries are the shared {@code inventory-sync.http.*} settings
 */
@ConfigurationProperties("inventory-sync.kibo")
public record KiboOptions(Duration tokenClockSkew, Duration pollInterval, Duration pollTimeout, Duration readTimeout) {

    public KiboOptions {
        tokenClockSkew = tokenClockSkew != null ? tokenClockSkew : Duration.ofSeconds(60);
        pollInterval = pollInterval != null ? pollInterval : Duration.ofSeconds(2);
        pollTimeout = pollTimeout != null ? pollTimeout : Duration.ofMinutes(15);
        readTimeout = readTimeout != null ? readTimeout : Duration.ofSeconds(120);
    }
}
