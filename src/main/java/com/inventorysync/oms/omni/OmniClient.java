package com.inventorysync.oms.omni;

import com.inventorysync.http.AdaptiveLimiter;
import com.inventorysync.http.CredentialsRefusedException;
import com.inventorysync.http.HttpRetry;
import com.inventorysync.http.RetriesExhaustedException;
import com.inventorysync.http.RetryAfter;
import com.inventorysync.http.VendorHttpException;
import com.inventorysync.http.VendorHttpMeters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Omni OMS inventory API ({@code contracts/omni-oms.yaml}): inventory locations, on-hand read
 * and write, available, and virtual (pool) inventory. Every read is paged to the end and split
 * into requests within the contract's limits; every request carries the subscription key; PUTs
 * carry an {@code X-Request-Id} naming the planned update they apply. Thread-safe.
 * <p>
 * Sent with Apache HttpClient's blocking client: each sending thread writes and reads on its own
 * pooled keep-alive connection, with none of the thread hand-offs of the JDK client, which put
 * 0.5 to 1.5 ms more on every PUT on a busy machine (docs/benchmarks.md). The library's own retries are off: a request
 * is repeated only by {@link HttpRetry}, which knows that a {@code Delta} must never be.
 */
public class OmniClient implements AutoCloseable {
    public static final int MAX_LOCATIONS_PER_REQUEST = 50;
    public static final int MAX_SKUS_PER_REQUEST = 100;
    public static final int MAX_POOL_GROUPS_PER_REQUEST = 4;
    public static final int MAX_SKUS_PER_VIRTUAL_REQUEST = 7;
    public static final int MAX_PAGE_SIZE = 1000;
    /** Keep-alive connections kept open: as many as the largest concurrency a job definition allows. */
    static final int MAX_CONNECTIONS = 256;

    static final String KEY_HEADER = "Ocp-Apim-Subscription-Key";
    static final String REQUEST_ID_HEADER = "X-Request-Id";

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * @param baseUrl         e.g. {@code https://api.dev.orderdynamics.net}; the {@code /v1/...} paths go under it
     * @param subscriptionKey the API gateway key; never logged
     * @param requestTimeout  a request without an answer by then is a timeout (outcome unknown for a PUT)
     */
    public record Settings(String baseUrl, String subscriptionKey, Duration connectTimeout, Duration requestTimeout) {
        public Settings {
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new IllegalArgumentException("inventory-sync.omni.base-url is not set");
            }
            if (subscriptionKey == null || subscriptionKey.isBlank()) {
                throw new IllegalArgumentException("inventory-sync.omni.subscription-key is not set");
            }
            baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            connectTimeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(5);
            requestTimeout = requestTimeout != null ? requestTimeout : Duration.ofSeconds(30);
        }

        @Override
        public String toString() {
            return "OmniClient.Settings[baseUrl=" + baseUrl + ", subscriptionKey=****]";
        }
    }

    private final Settings settings;
    private final HttpRetry retry;
    private final CloseableHttpClient http;

    public OmniClient(Settings settings, HttpRetry retry) {
        this(settings, retry, VendorHttpMeters.none());
    }

    /** @param meters where each request is timed ({@code inventorysync.http.requests{vendor=omni}}) */
    public OmniClient(Settings settings, HttpRetry retry, VendorHttpMeters meters) {
        this.settings = settings;
        this.retry = retry;
        this.http = HttpClients.custom()
                .addExecInterceptorFirst("inventorysync-meter", meters.requests("omni"))
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(MAX_CONNECTIONS)
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                                .setSocketTimeout(Timeout.of(settings.requestTimeout()))
                                // A connection idle for a while may have been closed by the gateway: checked
                                // before reuse, so that a PUT is not written into a dead one (an unknown outcome).
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(settings.requestTimeout()))
                        .build())
                .useSystemProperties()
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .build();
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }

    public String baseUrl() {
        return settings.baseUrl();
    }

    /** What paces this client's requests (every one, reads included); shared by every thread that sends with it. */
    public AdaptiveLimiter limiter() {
        return retry.limiter();
    }

    // ---- locations ------------------------------------------------------------------------

    /** Every inventory location, all pages. */
    public List<InventoryLocation> locations() {
        return readAllPages(
                page -> locationsPage(null, page, MAX_PAGE_SIZE), LocationPage::items, LocationPage::totalCount);
    }

    /** The active locations only: the ones a snapshot may name. */
    public List<InventoryLocation> activeLocations() {
        return locations().stream().filter(InventoryLocation::active).toList();
    }

    /** One page of {@code GET /v1/inventorylocations/}; {@code internalName} may be null. */
    public LocationPage locationsPage(String internalName, int pageNumber, int pageSize) {
        Query q = new Query();
        if (internalName != null) {
            q.add("locationInternalName", internalName);
        }
        q.add("pageSize", pageSize).add("pageNumber", pageNumber);
        return get("/v1/inventorylocations/", q, LocationPage.class);
    }

    // ---- on-hand and available --------------------------------------------------------------

    /**
     * On-hand counts of every combination of {@code locations} x {@code skus} the OMS holds, in
     * requests of at most 50 locations x 100 SKUs, each paged to the end. With no SKUs, every SKU
     * at those locations.
     */
    public List<Count> onHand(Collection<String> locations, Collection<String> skus) {
        return counts("/v1/inventory/onhand", locations, skus);
    }

    /** Available counts (OnHand - Reserved - Allocated, never below 0), batched and paged like {@link #onHand}. */
    public List<Count> available(Collection<String> locations, Collection<String> skus) {
        return counts("/v1/inventory/available", locations, skus);
    }

    /**
     * On-hand counts of exactly these keys, read location by location in batches of 100 SKUs
     * (keys at the same location share requests). A key the OMS holds no count for is absent.
     */
    public Map<SkuAtLocation, Integer> onHandOf(Collection<SkuAtLocation> keys) {
        Map<String, LinkedHashSet<String>> skusByLocation = new LinkedHashMap<>();
        for (SkuAtLocation key : keys) {
            skusByLocation
                    .computeIfAbsent(key.location(), l -> new LinkedHashSet<>())
                    .add(key.sku());
        }
        Map<SkuAtLocation, Integer> result = new LinkedHashMap<>();
        skusByLocation.forEach((location, skus) -> {
            for (List<String> batch : batches(skus, MAX_SKUS_PER_REQUEST)) {
                for (Count c : countPages("/v1/inventory/onhand", List.of(location), batch)) {
                    result.put(new SkuAtLocation(c.sku(), c.locationInternalName()), c.quantity());
                }
            }
        });
        result.keySet().retainAll(new java.util.HashSet<>(keys));
        return result;
    }

    /** One page of on-hand or available counts: {@code path} is {@code /v1/inventory/onhand} or {@code /v1/inventory/available}. */
    public CountPage countPage(String path, List<String> locations, List<String> skus, int pageNumber, int pageSize) {
        if (locations.isEmpty() || locations.size() > MAX_LOCATIONS_PER_REQUEST || skus.size() > MAX_SKUS_PER_REQUEST) {
            throw new IllegalArgumentException("1 to 50 locations and at most 100 SKUs per request");
        }
        Query q = new Query();
        locations.forEach(l -> q.add("locationInternalNames", l));
        skus.forEach(s -> q.add("skus", s));
        q.add("pageSize", pageSize).add("pageNumber", pageNumber);
        return get(path, q, CountPage.class);
    }

    private List<Count> counts(String path, Collection<String> locations, Collection<String> skus) {
        List<Count> result = new ArrayList<>();
        List<List<String>> skuBatches =
                skus.isEmpty() ? List.of(List.of()) : batches(new LinkedHashSet<>(skus), MAX_SKUS_PER_REQUEST);
        for (List<String> locationBatch : batches(new LinkedHashSet<>(locations), MAX_LOCATIONS_PER_REQUEST)) {
            for (List<String> skuBatch : skuBatches) {
                result.addAll(countPages(path, locationBatch, skuBatch));
            }
        }
        return result;
    }

    private List<Count> countPages(String path, List<String> locations, List<String> skus) {
        return readAllPages(
                page -> countPage(path, locations, skus, page, MAX_PAGE_SIZE), CountPage::items, CountPage::totalCount);
    }

    /**
     * {@code PUT /v1/inventory/onhand}, retried on 429/503 (after {@code Retry-After}); an
     * {@code Absolute} is also re-sent after a timeout or dropped connection, a {@code Delta}
     * never is: its outcome is then {@link PutOutcome.Kind#UNKNOWN}.
     *
     * @param requestId names what this request carries (e.g. {@code pu-123}); sent as {@code X-Request-Id}
     */
    public PutOutcome putOnHand(OnHandUpdate update, String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        byte[] body = JSON.writeValueAsBytes(update);
        AtomicInteger attempts = new AtomicInteger();
        String operation = "PUT /v1/inventory/onhand " + requestId;
        try {
            retry.call(
                    operation,
                    () -> {
                        attempts.incrementAndGet();
                        HttpPut request = request(new HttpPut(uri("/v1/inventory/onhand", new Query())));
                        request.setHeader(REQUEST_ID_HEADER, requestId);
                        request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
                        Response response = exchange(request);
                        if (response.status() == 204) {
                            return Boolean.TRUE;
                        }
                        if (response.status() / 100 == 2) {
                            // A proxy's page or a changed API: not the contract's answer, so nothing is known.
                            throw new UnexpectedAnswerException(response.status(), response.contentType());
                        }
                        throw failure("PUT", "/v1/inventory/onhand", response);
                    },
                    update.quantityType() == QuantityType.Absolute ? HttpRetry.TRANSIENT : HttpRetry.TRANSIENT_STATUS);
            return PutOutcome.applied(attempts.get());
        } catch (UnexpectedAnswerException e) {
            return new PutOutcome(PutOutcome.Kind.UNKNOWN, e.status, e.getMessage(), attempts.get());
        } catch (VendorHttpException e) {
            // A 4xx was refused as a whole; a 5xx other than 503 says nothing about whether it was applied.
            PutOutcome.Kind kind = e.isTransient()
                    ? PutOutcome.Kind.NOT_APPLIED
                    : PutOutcome.accountRefused(e.status())
                            ? PutOutcome.Kind.ACCOUNT_REFUSED
                            : e.isClientError() ? PutOutcome.Kind.REJECTED : PutOutcome.Kind.UNKNOWN;
            return new PutOutcome(kind, e.status(), e.vendorMessage(), attempts.get());
        } catch (UncheckedIOException e) {
            return new PutOutcome(PutOutcome.Kind.UNKNOWN, 0, describe(e.getCause()), attempts.get());
        } catch (RetriesExhaustedException e) {
            if (e.getCause() instanceof VendorHttpException v) {
                return new PutOutcome(PutOutcome.Kind.NOT_APPLIED, v.status(), v.vendorMessage(), attempts.get());
            }
            // An Absolute whose every attempt ended without an answer: re-sending it later is harmless.
            return new PutOutcome(PutOutcome.Kind.UNKNOWN, 0, describe(e.getCause()), attempts.get());
        }
    }

    // ---- virtual inventory ------------------------------------------------------------------

    /**
     * Virtual (pool) counts of the pool groups, in requests of at most 4 groups x 7 SKUs, each
     * paged to the end. With no SKUs, every SKU of those groups.
     */
    public List<VirtualCount> virtualInventory(Collection<String> poolGroups, Collection<String> skus) {
        List<VirtualCount> result = new ArrayList<>();
        List<List<String>> skuBatches =
                skus.isEmpty() ? List.of(List.of()) : batches(new LinkedHashSet<>(skus), MAX_SKUS_PER_VIRTUAL_REQUEST);
        for (List<String> groupBatch : batches(new LinkedHashSet<>(poolGroups), MAX_POOL_GROUPS_PER_REQUEST)) {
            for (List<String> skuBatch : skuBatches) {
                result.addAll(readAllPages(
                        page -> virtualPage(groupBatch, skuBatch, page, MAX_PAGE_SIZE),
                        VirtualCountPage::items,
                        VirtualCountPage::totalCount));
            }
        }
        return result;
    }

    /** One page of {@code GET /v1/virtualinventory/}: 1 to 4 pool groups, 0 to 7 SKUs. */
    public VirtualCountPage virtualPage(List<String> poolGroups, List<String> skus, int pageNumber, int pageSize) {
        if (poolGroups.isEmpty()
                || poolGroups.size() > MAX_POOL_GROUPS_PER_REQUEST
                || skus.size() > MAX_SKUS_PER_VIRTUAL_REQUEST) {
            throw new IllegalArgumentException("1 to 4 pool groups and at most 7 SKUs per request");
        }
        Query q = new Query();
        poolGroups.forEach(g -> q.add("inventoryPoolGroupNames", g));
        skus.forEach(s -> q.add("skus", s));
        q.add("pageSize", pageSize).add("pageNumber", pageNumber);
        return get("/v1/virtualinventory/", q, VirtualCountPage.class);
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private <P, T> List<T> readAllPages(
            Function<Integer, P> fetch, Function<P, List<T>> items, Function<P, Long> total) {
        List<T> result = new ArrayList<>();
        for (int page = 1; ; page++) {
            P p = fetch.apply(page);
            List<T> pageItems = items.apply(p);
            result.addAll(pageItems);
            if (pageItems.isEmpty() || result.size() >= total.apply(p)) {
                return result;
            }
        }
    }

    private <T> T get(String path, Query query, Class<T> type) {
        try {
            return retry.call("GET " + path, () -> {
                Response response = exchange(request(new HttpGet(uri(path, query))));
                if (response.status() != 200) {
                    throw failure("GET", path, response);
                }
                return JSON.readValue(response.body(), type);
            });
        } catch (VendorHttpException e) {
            if (PutOutcome.credentialsRefused(e.status())) {
                throw new CredentialsRefusedException(
                        "Omni at " + settings.baseUrl() + " refused the credentials (" + e.status()
                                + (e.vendorMessage() == null ? "" : " " + e.vendorMessage())
                                + "): check inventory-sync.omni.subscription-key (and the proxy's, for 407)");
            }
            throw e;
        }
    }

    /** A 2xx other than the contract's answer: whether the request was applied is not known. */
    private static final class UnexpectedAnswerException extends RuntimeException {
        private final int status;

        UnexpectedAnswerException(int status, String contentType) {
            super("answered " + status + (contentType == null ? "" : " (" + contentType + ")")
                    + " instead of the contract's 204: outcome unknown");
            this.status = status;
        }
    }

    private String uri(String path, Query query) {
        return settings.baseUrl() + path + query;
    }

    private <R extends HttpUriRequestBase> R request(R request) {
        request.setHeader(KEY_HEADER, settings.subscriptionKey());
        request.setHeader("Accept", "application/json");
        return request;
    }

    /** What an answer carries that the client looks at. */
    private record Response(int status, byte[] body, String retryAfter, String contentType) {}

    /** One request on a pooled connection; the whole body is read, so the connection goes back to the pool. */
    private Response exchange(HttpUriRequestBase request) throws IOException {
        return http.execute(request, response -> {
            Header retryAfter = response.getFirstHeader("Retry-After");
            byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            String contentType =
                    response.getEntity() == null ? null : response.getEntity().getContentType();
            return new Response(
                    response.getCode(), body, retryAfter == null ? null : retryAfter.getValue(), contentType);
        });
    }

    private static VendorHttpException failure(String method, String path, Response response) {
        return new VendorHttpException(
                method, path, response.status(), message(response.body()), RetryAfter.parse(response.retryAfter()));
    }

    /** The vendor's message from an {@code Error} ({@code Message}) or {@code GatewayError} ({@code message}) body. */
    static String message(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            var node = JSON.readTree(body);
            if (node.hasNonNull("Message")) {
                return node.get("Message").asString();
            }
            if (node.hasNonNull("message")) {
                return node.get("message").asString();
            }
        } catch (RuntimeException notJson) {
            // fall through: keep the raw text
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    private static String describe(Throwable t) {
        String name = t.getClass().getSimpleName();
        return t.getMessage() == null ? name : name + ": " + t.getMessage();
    }

    static <T> List<List<T>> batches(Collection<T> items, int size) {
        List<List<T>> result = new ArrayList<>();
        List<T> current = new ArrayList<>(size);
        for (T item : items) {
            current.add(item);
            if (current.size() == size) {
                result.add(current);
                current = new ArrayList<>(size);
            }
        }
        if (!current.isEmpty()) {
            result.add(current);
        }
        return result;
    }

    /** A query string with repeated parameters ({@code style: form, explode: true}). */
    private static final class Query {
        private final StringBuilder text = new StringBuilder();

        Query add(String name, Object value) {
            text.append(text.isEmpty() ? '?' : '&')
                    .append(name)
                    .append('=')
                    .append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
            return this;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
