package com.inventorysync.support;

import com.inventorysync.sandbox.SandboxServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The product's settings for a test: its database schema, the sandbox as every vendor, where its
 * output goes, and retries fast enough for a test. The same map configures an in-process context
 * ({@link #registerWith}) or a child process ({@link ProductProcess}).
 */
public final class ProductSettings {
    private final Map<String, String> properties = new LinkedHashMap<>();

    private ProductSettings() {}

    /**
     * The sandbox applies a request before it answers (unless a test adds latency), so an unknown
     * outcome settles at once: tests that make the OMS apply late set a longer settle time.
     */
    public static ProductSettings create() {
        return new ProductSettings().with("inventory-sync.http.settle-time", "200ms");
    }

    /** A schema made by {@link PostgresTestDatabase#freshSchema}; Flyway migrates it when the product starts. */
    public ProductSettings database(String schema) {
        properties.put("spring.datasource.url", PostgresTestDatabase.urlFor(schema));
        properties.put("spring.datasource.username", PostgresTestDatabase.USER);
        properties.put("spring.datasource.password", PostgresTestDatabase.PASSWORD);
        properties.put("spring.flyway.schemas", schema);
        properties.put("spring.flyway.default-schema", schema);
        return this;
    }

    public ProductSettings omni(SandboxServer sandbox) {
        properties.put("inventory-sync.omni.base-url", sandbox.omniBaseUrl());
        properties.put(
                "inventory-sync.omni.subscription-key", sandbox.credentials().omniSubscriptionKey());
        return this;
    }

    public ProductSettings kibo(SandboxServer sandbox) {
        properties.put("inventory-sync.kibo.base-url", sandbox.kiboBaseUrl());
        properties.put("inventory-sync.kibo.token-url", sandbox.kiboTokenUrl());
        properties.put("inventory-sync.kibo.client-id", sandbox.credentials().kiboClientId());
        properties.put(
                "inventory-sync.kibo.client-secret", sandbox.credentials().kiboClientSecret());
        return this;
    }

    public ProductSettings shipEdge(SandboxServer sandbox) {
        properties.put("inventory-sync.shipedge.base-url", sandbox.shipEdgeBaseUrl());
        properties.put(
                "inventory-sync.shipedge.account-id", sandbox.credentials().shipEdgeAccountId());
        properties.put("inventory-sync.shipedge.key", sandbox.credentials().shipEdgeKey());
        return this;
    }

    public ProductSettings newStore(SandboxServer sandbox) {
        properties.put("inventory-sync.newstore.base-url", sandbox.newStoreBaseUrl());
        properties.put("inventory-sync.newstore.token-url", sandbox.newStoreTokenUrl());
        properties.put(
                "inventory-sync.newstore.client-id", sandbox.credentials().newStoreClientId());
        properties.put(
                "inventory-sync.newstore.client-secret", sandbox.credentials().newStoreClientSecret());
        return this;
    }

    public ProductSettings output(Path dir) {
        properties.put("inventory-sync.sync.output-dir", dir.toString());
        return this;
    }

    /** Backoff in milliseconds rather than seconds: a test's storms are short. */
    public ProductSettings fastRetries() {
        properties.put("inventory-sync.http.initial-backoff", "5ms");
        properties.put("inventory-sync.http.max-backoff", "40ms");
        properties.put("inventory-sync.http.request-timeout", "5s");
        return this;
    }

    public ProductSettings with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public Map<String, String> asMap() {
        return Map.copyOf(properties);
    }

    public void registerWith(DynamicPropertyRegistry registry) {
        properties.forEach((key, value) -> registry.add(key, () -> value));
    }
}
