package com.inventorysync.oms.newstore;

import com.inventorysync.http.ClientCredentials;
import com.inventorysync.http.HttpRetry;
import com.inventorysync.http.VendorHttp;
import com.inventorysync.http.VendorHttpMeters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * NewStore's external OMS configuration ({@code contracts/newstore.yaml}): when enabled, NewStore
 * masters store inventory and the nightly sync must not overwrite store counts. Authenticated with
 * an OAuth 2 client-credentials token ({@link ClientCredentials}, client id and secret in the form,
 * as the contract's token endpoint takes them), kept and renewed like Kibo's.
 */
public class NewStoreClient {
    static final String CONFIG_PATH = "/v0/d/external_oms/config";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** NewStore's tokens are renewed this long before they expire. */
    private static final Duration TOKEN_CLOCK_SKEW = Duration.ofSeconds(60);

    public record Settings(
            String baseUrl,
            String tokenUrl,
            String clientId,
            String clientSecret,
            Duration connectTimeout,
            Duration requestTimeout) {
        public Settings {
            if (baseUrl == null || tokenUrl == null || clientId == null || clientSecret == null) {
                throw new IllegalArgumentException(
                        "inventory-sync.newstore.base-url, token-url, client-id and client-secret must be set "
                                + "when a job reads NewStore's store mastership");
            }
            baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            connectTimeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(5);
            requestTimeout = requestTimeout != null ? requestTimeout : Duration.ofSeconds(30);
        }

        @Override
        public String toString() {
            return "NewStoreClient.Settings[baseUrl=" + baseUrl + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId
                    + ", clientSecret=****]";
        }
    }

    private final HttpRetry retry;
    private final ClientCredentials credentials;
    private final RestClient http;

    public NewStoreClient(Settings settings, HttpRetry retry) {
        this(settings, retry, VendorHttpMeters.none());
    }

    /** @param meters where each request, token requests included, is timed ({@code inventorysync.http.requests{vendor=newstore}}) */
    public NewStoreClient(Settings settings, HttpRetry retry, VendorHttpMeters meters) {
        this.retry = retry;
        ClientHttpRequestFactory requestFactory = VendorHttp.requestFactory(
                settings.connectTimeout(), settings.requestTimeout(), meters.requests("newstore"));
        this.credentials = new ClientCredentials(
                new ClientCredentials.Registration(
                        "NewStore",
                        "inventory-sync.newstore",
                        settings.tokenUrl(),
                        settings.clientId(),
                        settings.clientSecret(),
                        ClientAuthenticationMethod.CLIENT_SECRET_POST,
                        TOKEN_CLOCK_SKEW),
                requestFactory);
        this.http = RestClient.builder()
                .baseUrl(settings.baseUrl())
                .requestFactory(requestFactory)
                .requestInterceptor(credentials.interceptor())
                .build();
    }

    /** Whether NewStore is configured as the external OMS, i.e. masters store inventory. */
    public boolean externalOmsEnabled() {
        JsonNode config = retry.call(
                "GET " + CONFIG_PATH,
                () -> credentials.call(
                        "GET",
                        CONFIG_PATH,
                        () -> http.get()
                                .uri(CONFIG_PATH)
                                .accept(MediaType.APPLICATION_JSON)
                                .exchange((req, res) -> {
                                    String body = new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8);
                                    if (res.getStatusCode().value() != 200) {
                                        throw VendorHttp.failure(
                                                "GET",
                                                CONFIG_PATH,
                                                res.getStatusCode().value(),
                                                body,
                                                res.getHeaders());
                                    }
                                    return JSON.readTree(body);
                                })));
        return config.path("enabled").asBoolean(false);
    }
}
