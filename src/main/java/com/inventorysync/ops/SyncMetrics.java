package com.inventorysync.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The registry the sync's meters go to ({@code inventorysync.omni.updates{outcome}},
 * {@code inventorysync.omni.put}, {@code inventorysync.http.retries}): the application's own when
 * one is configured (e.g. by an actuator), else an in-memory one.
 */
@Component
public class SyncMetrics {
    private final MeterRegistry registry;

    public SyncMetrics(ObjectProvider<MeterRegistry> registries) {
        this.registry = registries.getIfAvailable(SimpleMeterRegistry::new);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
