package com.inventorysync.oms.kibo;

import com.inventorysync.config.InventorySyncProperties;
import com.inventorysync.http.AdaptiveLimiter;
import com.inventorysync.http.HttpProperties;
import com.inventorysync.http.HttpRetry;
import com.inventorysync.http.VendorHttpMeters;
import com.inventorysync.jobdef.JobDefinition.KiboBasePath;
import com.inventorysync.ops.SyncMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * One {@link KiboClient} per base path variant, with the shared retry settings ({@code inventory-sync.http.*}), for the life of the process, so that the send and
 * poll steps (and a restart in the same process) share a token instead of fetching one each.
 */
@Component
public class KiboClients {
    private final InventorySyncProperties properties;
    private final KiboOptions options;
    private final RestClient.Builder builder;
    private final HttpProperties http;
    private final HttpRetry retry;
    private final VendorHttpMeters meters;
    private final Map<KiboBasePath, KiboClient> clients = new ConcurrentHashMap<>();

    public KiboClients(
            InventorySyncProperties properties,
            KiboOptions options,
            HttpProperties http,
            SyncMetrics metrics,
            RestClient.Builder builder) {
        this.properties = properties;
        this.options = options;
        this.http = http;
        this.builder = builder;
        this.meters = new VendorHttpMeters(metrics.registry());
        this.retry = new HttpRetry(http.retrySettings(), meters.retries("kibo"), meters.limiter("kibo"));
    }

    public KiboClient client(KiboBasePath basePath) {
        return clients.computeIfAbsent(
                basePath,
                p -> new KiboClient(properties.kibo(), p, options, http.connectTimeout(), retry, builder, meters));
    }

    /** What paces every Kibo request of this process, whichever base path. */
    public AdaptiveLimiter limiter() {
        return retry.limiter();
    }

    /** Forgets the clients and their tokens: the next call of each fetches a new token. */
    public void reset() {
        clients.clear();
    }
}
