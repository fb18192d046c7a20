package com.inventorysync.oms.omni;

import com.inventorysync.config.InventorySyncProperties;
import com.inventorysync.http.HttpProperties;
import com.inventorysync.http.HttpRetry;
import com.inventorysync.http.VendorHttpMeters;
import com.inventorysync.ops.SyncMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** The Omni client, built on first use so that commands which never call Omni need no Omni settings. */
@Configuration(proxyBeanMethods = false)
public class OmniConfiguration {

    @Bean
    @Lazy
    public OmniClient omniClient(InventorySyncProperties properties, HttpProperties http, SyncMetrics metrics) {
        VendorHttpMeters meters = new VendorHttpMeters(metrics.registry());
        HttpRetry retry = new HttpRetry(http.retrySettings(), meters.retries("omni"), meters.limiter("omni"));
        return new OmniClient(
                new OmniClient.Settings(
                        properties.omni().baseUrl(),
                        properties.omni().subscriptionKey(),
                        http.connectTimeout(),
                        http.requestTimeout()),
                retry,
                meters);
    }
}
