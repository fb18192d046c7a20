package com.inventorysync.target.kibo;

import com.inventorysync.config.InventorySyncProperties;
import com.inventorysync.jobdef.JobDefinition.KiboBasePath;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * One {@link KiboClient} per base path variant for the life of the process, so that the send and
 * poll steps (and a restart in the same process) share a token instead of fetching one each.
 */
@Component
public class KiboClients {
    private final InventorySyncProperties properties;
    private final KiboOptions options;
    private final RestClient.Builder builder;
    private final Map<KiboBasePath, KiboClient> clients = new ConcurrentHashMap<>();
    private volatile KiboRetry retry = KiboRetry.defaults();

    public KiboClients(InventorySyncProperties properties, KiboOptions options, RestClient.Builder builder) {
        this.properties = properties;
        this.options = options;
        this.builder = builder;
    }

    public KiboClient client(KiboBasePath basePath) {
        return clients.computeIfAbsent(basePath, p -> new KiboClient(properties.kibo(), p, options, retry, builder));
    }

    /** Replaces the retry settings of clients made from now on. */
    public void retry(KiboRetry retry) {
        this.retry = retry;
        clients.clear();
    }
}
