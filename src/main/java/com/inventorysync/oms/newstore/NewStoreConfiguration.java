package com.inventorysync.oms.newstore;

import com.inventorysync.config.InventorySyncProperties;
import com.inventorysync.http.HttpProperties;
import com.inventorysync.http.HttpRetry;
import com.inventorysync.http.VendorHttpMeters;
import com.inventorysync.ops.SyncMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** The NewStore client, built on first use: only jobs that read store mastership need NewStore settings. */
@Configuration(proxyBeanMethods = false)
public class NewStoreConfiguration {

    @Bean
    @Lazy
    public NewStoreClient newStoreClient(InventorySyncProperties properties, HttpProperties http, SyncMetrics metrics) {
        VendorHttpMeters meters = new VendorHttpMeters(metrics.registry());
        InventorySyncProperties.NewStore n = properties.newstore();
        return new NewStoreClient(
                new NewStoreClient.Settings(
                        n.baseUrl(),
                        n.tokenUrl(),
                        n.clientId(),
                        n.clientSecret(),
                        http.connectTimeout(),
                        http.requestTimeout()),
                new HttpRetry(http.retrySettings(), meters.retries("newstore")),
                meters);
    }
}
