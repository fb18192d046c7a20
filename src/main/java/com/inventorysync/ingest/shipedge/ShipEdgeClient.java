package com.inventorysync.ingest.shipedge;

import com.inventorysync.target.HttpRetry;
import com.inventorysync.target.VendorHttpException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
    public record Settings(String baseUrl, String accountId, String key, Duration connectTimeout, Duration requestTimeout) {
        public Settings {
            if (baseUrl == null || baseUrl.isBlank() || accountId == null || accountId.isBlank() || key == null || key.isBlank()) {
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
    public record StockPage(JsonNode items, long totalRecords, int totalPages) {
    }

    private final Settings settings;
    private final HttpRetry retry;
    private final HttpClient http;

    public ShipEdgeClient(Settings settings, HttpRetry retry) {
        this.settings = settings;
        this.retry = retry;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.connectTimeout()).build();
    }

    public String baseUrl() {
        return settings.baseUrl();
    }

    public StockPage stockPage(int page, int perPage) {
        String query = "?page=" + page + "&per_page=" + perPage;
        JsonNode body = retry.call("GET " + STOCK_PATH + query, () -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(settings.baseUrl() + STOCK_PATH + query))
                    .timeout(settings.requestTimeout())
                    .header("AccountID", settings.accountId())
                    .header("Key", settings.key())
                    .header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new VendorHttpException("GET", STOCK_PATH, r.statusCode(), message(r.body()),
                        r.headers().firstValue("Retry-After").map(ShipEdgeClient::seconds).orElse(null));
            }
            return JSON.readTree(r.body());
        });
        JsonNode items = body.path("data");
        JsonNode metadata = body.path("metadata");
        if (!items.isArray() || !metadata.path("total_records").isNumber() || !metadata.path("total_pages").isNumber()) {
            throw new IllegalStateException("ShipEdge GET " + STOCK_PATH + " page " + page
                    + ": the answer has no data array or no metadata.total_records/total_pages");
        }
        return new StockPage(items, metadata.path("total_records").asLong(), metadata.path("total_pages").asInt());
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

    private static Duration seconds(String header) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            return null;
        }
    }
}
