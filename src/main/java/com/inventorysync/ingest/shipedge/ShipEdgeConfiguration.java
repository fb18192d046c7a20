package com.inventorysync.ingest.shipedge;

import com.inventorysync.config.InventorySyncProperties;
import com.inventorysync.http.HttpProperties;
import com.inventorysync.http.HttpRetry;
import com.inventorysync.http.VendorHttpMeters;
import com.inventorysync.ops.SyncMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** The ShipEdge client, built on first use: only jobs whose source is ShipEdge need its settings. */
@Configuration(proxyBeanMethods = false)
public class ShipEdgeConfiguration {

    @Bean
    @Lazy
    public ShipEdgeClient shipEdgeClient(InventorySyncProperties properties, HttpProperties http, SyncMetrics metrics) {
        VendorHttpMeters meters = new VendorHttpMeters(metrics.registry());
        InventorySyncProperties.ShipEdge s = properties.shipedge();
        return new ShipEdgeClient(
                new ShipEdgeClient.Settings(
                        s.baseUrl(), s.accountId(), s.key(), http.connectTimeout(), http.requestTimeout()),
                new HttpRetry(http.retrySettings(), meters.retries("shipedge"), meters.limiter("shipedge")),
                meters);
    }
}
