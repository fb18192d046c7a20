package com.inventorysync.target.newstore;

import com.inventorysync.target.HttpRetry;
import com.inventorysync.target.VendorHttpException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * NewStore's external OMS configuration ({@code contracts/newstore.yaml}): when enabled, NewStore
 * masters store inventory and the nightly sync must not overwrite store counts. Reads it with a
 * client-credentials token (fetched once per read; the sync asks once per run).
 */
public class NewStoreClient {
    static final String CONFIG_PATH = "/v0/d/external_oms/config";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Settings(String baseUrl, String tokenUrl, String clientId, String clientSecret, Duration timeout) {
        public Settings {
            if (baseUrl == null || tokenUrl == null || clientId == null || clientSecret == null) {
                throw new IllegalArgumentException("inventory-sync.newstore.base-url, token-url, client-id and client-secret must be set "
                        + "when a job reads NewStore's store mastership");
            }
            baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            timeout = timeout != null ? timeout : Duration.ofSeconds(30);
        }

        @Override
        public String toString() {
            return "NewStoreClient.Settings[baseUrl=" + baseUrl + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret=****]";
        }
    }

    private final Settings settings;
    private final HttpRetry retry;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public NewStoreClient(Settings settings, HttpRetry retry) {
        this.settings = settings;
        this.retry = retry;
    }

    /** Whether NewStore is configured as the external OMS, i.e. masters store inventory. */
    public boolean externalOmsEnabled() {
        String token = token();
        JsonNode config = retry.call("GET " + CONFIG_PATH, () -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(settings.baseUrl() + CONFIG_PATH))
                    .timeout(settings.timeout()).header("Authorization", "Bearer " + token).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new VendorHttpException("GET", CONFIG_PATH, r.statusCode(), r.body(), null);
            }
            return JSON.readTree(r.body());
        });
        return config.path("enabled").asBoolean(false);
    }

    private String token() {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(settings.clientSecret(), StandardCharsets.UTF_8);
        JsonNode body = retry.call("POST token", () -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(settings.tokenUrl())).timeout(settings.timeout())
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                // the body of a failed token request is not repeated: it may echo credentials
                throw new VendorHttpException("POST", "token", r.statusCode(), null, null);
            }
            return JSON.readTree(r.body());
        });
        return body.path("access_token").asString();
    }
}
