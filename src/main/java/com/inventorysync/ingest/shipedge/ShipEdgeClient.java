package com.inventorysync.ingest.shipedge;

import com.inventorysync.http.AdaptiveLimiter;
import com.inventorysync.http.HttpRetry;
import com.inventorysync.http.VendorHttp;
import com.inventorysync.http.VendorHttpMeters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ShipEdge's stock API ({@code contracts/shipedge-oms.yaml}), read as a snapshot source: one page
 * of {@code GET /inventory/stock} at a time, with the {@code AccountID} and {@code Key} headers,
 * retried on 429/503 and I/O errors. Items come back as JSON, unchecked: what they hold is judged
 * at ingest, line by line, like any snapshot.
 */
public class ShipEdgeClient {
    public static final int MAX_PER_PAGE = 500;
    static final String STOCK_PATH = "/inventory/stock";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * @param baseUrl e.g. {@code https://acme.shipedge.com/apirest/v4/oms}; the API's paths go under it
     * @param key     never logged
     */
    public record Settings(
            String baseUrl, String accountId, String key, Duration connectTimeout, Duration requestTimeout) {
        public Settings {
            if (baseUrl == null
                    || baseUrl.isBlank()
                    || accountId == null
                    || accountId.isBlank()
                    || key == null
                    || key.isBlank()) {
                throw new IllegalArgumentException("inventory-sync.shipedge.base-url, account-id and key must be set "
                        + "for a job whose source.type is shipedge");
            }
            baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            connectTimeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(5);
            requestTimeout = requestTimeout != null ? requestTimeout : Duration.ofSeconds(30);
        }

        @Override
        public String toString() {
            return "ShipEdgeClient.Settings[baseUrl=" + baseUrl + ", accountId=" + accountId + ", key=****]";
        }
    }

    /** One page: its items as sent, and the paging figures of its {@code metadata}. */
    public record StockPage(JsonNode items, long totalRecords, int totalPages) {}

    private final Settings settings;
    private final HttpRetry retry;
    private final RestClient http;

    public ShipEdgeClient(Settings settings, HttpRetry retry) {
        this(settings, retry, VendorHttpMeters.none());
    }

    /** @param meters where each request is timed ({@code inventorysync.http.requests{vendor=shipedge}}) */
    public ShipEdgeClient(Settings settings, HttpRetry retry, VendorHttpMeters meters) {
        this.settings = settings;
        this.retry = retry;
        this.http = RestClient.builder()
                .baseUrl(settings.baseUrl())
                .requestFactory(VendorHttp.requestFactory(
                        settings.connectTimeout(), settings.requestTimeout(), meters.requests("shipedge")))
                .defaultHeader("AccountID", settings.accountId())
                .defaultHeader("Key", settings.key())
                .build();
    }

    public String baseUrl() {
        return settings.baseUrl();
    }

    /** What paces the page requests; null when built without one. */
    public AdaptiveLimiter limiter() {
        return retry.limiter();
    }

    public StockPage stockPage(int page, int perPage) {
        String query = "?page=" + page + "&per_page=" + perPage;
        JsonNode body = retry.call(
                "GET " + STOCK_PATH + query,
                () -> VendorHttp.translated(
                        "GET",
                        STOCK_PATH,
                        () -> http.get()
                                .uri(STOCK_PATH + query)
                                .accept(MediaType.APPLICATION_JSON)
                                .exchange((req, res) -> {
                                    int status = res.getStatusCode().value();
                                    String text = new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8);
                                    if (status != 200) {
                                        throw VendorHttp.failure(
                                                "GET", STOCK_PATH, status, message(text), res.getHeaders());
                                    }
                                    return JSON.readTree(text);
                                })));
        JsonNode items = body.path("data");
        JsonNode metadata = body.path("metadata");
        if (!items.isArray()
                || !metadata.path("total_records").isNumber()
                || !metadata.path("total_pages").isNumber()) {
            throw new IllegalStateException("ShipEdge GET " + STOCK_PATH + " page " + page
                    + ": the answer has no data array or no metadata.total_records/total_pages");
        }
        return new StockPage(
                items,
                metadata.path("total_records").asLong(),
                metadata.path("total_pages").asInt());
    }

    /** The error envelope's {@code response.message}, or the body as sent. */
    static String message(String body) {
        try {
            JsonNode message = JSON.readTree(body).path("response").path("message");
            if (message.isString()) {
                return message.asString();
            }
        } catch (RuntimeException notJson) {
            // keep the raw text
        }
        return body == null || body.length() <= 500 ? body : body.substring(0, 500);
    }
}
