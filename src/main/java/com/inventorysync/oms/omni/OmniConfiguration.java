package com.inventorysync.oms.omni;

import com.inventorysync.config.InventorySyncProperties;
import com.inventorysync.ops.SyncMetrics;
import com.inventorysync.http.HttpProperties;
import com.inventorysync.http.HttpRetry;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** The Omni client, built on first use so that commands which never call Omni need no Omni settings. */
@Configuration(proxyBeanMethods = false)
public class OmniConfiguration {

    @Bean
    @Lazy
    public OmniClient omniClient(InventorySyncProperties properties, HttpProperties http, SyncMetrics metrics) {
        MeterRegistry registry = metrics.registry();
        HttpRetry retry = new HttpRetry(http.retrySettings(),
                (operation, failure, wait) -> registry.counter("inventorysync.http.retries", "vendor", "omni").increment());
        return new OmniClient(new OmniClient.Settings(properties.omni().baseUrl(), properties.omni().subscriptionKey(),
                http.connectTimeout(), http.requestTimeout()), retry);
    }
}
