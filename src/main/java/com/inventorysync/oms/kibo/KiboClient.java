package com.inventorysync.oms.kibo;

import com.inventorysync.config.InventorySyncProperties;
import com.inventorysync.http.ClientCredentials;
import com.inventorysync.http.HttpRetry;
import com.inventorysync.http.VendorHttp;
import com.inventorysync.http.VendorHttpException;
import com.inventorysync.http.VendorHttpMeters;
import com.inventorysync.jobdef.JobDefinition.KiboBasePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.web.client.RestClient;

/**
 * Kibo OMS over HTTP: inventory refresh and queue status, authenticated with an OAuth 2
 * client-credentials token ({@link ClientCredentials}, client_secret_basic against
 * {@code inventory-sync.kibo.token-url}). 429, 503 and I/O errors are retried by the shared
 * {@link HttpRetry}; a second 401 right after a new token fails the run.
 */
public class KiboClient {
    private static final String REQUEST_ID = "X-Request-Id";

    private final RestClient http;
    private final ClientCredentials credentials;
    private final String prefix;
    private final HttpRetry retry;

    public KiboClient(
            InventorySyncProperties.Kibo connection,
            KiboBasePath basePath,
            KiboOptions options,
            Duration connectTimeout,
            HttpRetry retry,
            RestClient.Builder builder) {
        this(connection, basePath, options, connectTimeout, retry, builder, VendorHttpMeters.none());
    }

    /** @param meters where each request, token requests included, is timed ({@code inventorysync.http.requests{vendor=kibo}}) */
    public KiboClient(
            InventorySyncProperties.Kibo connection,
            KiboBasePath basePath,
            KiboOptions options,
            Duration connectTimeout,
            HttpRetry retry,
            RestClient.Builder builder,
            VendorHttpMeters meters) {
        requireSet("inventory-sync.kibo.base-url", connection.baseUrl());
        requireSet("inventory-sync.kibo.token-url", connection.tokenUrl());
        requireSet("inventory-sync.kibo.client-id", connection.clientId());
        requireSet("inventory-sync.kibo.client-secret", connection.clientSecret());
        this.prefix = basePath == KiboBasePath.V5 ? "" : "/inv";
        this.retry = retry;
        ClientHttpRequestFactory requestFactory =
                VendorHttp.requestFactory(connectTimeout, options.readTimeout(), meters.requests("kibo"));
        this.credentials = new ClientCredentials(
                new ClientCredentials.Registration(
                        "Kibo",
                        "inventory-sync.kibo",
                        connection.tokenUrl(),
                        connection.clientId(),
                        connection.clientSecret(),
                        ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                        options.tokenClockSkew()),
                requestFactory);
        this.http = builder.clone()
                .baseUrl(stripTrailingSlash(connection.baseUrl()))
                .requestFactory(requestFactory)
                .requestInterceptor(credentials.interceptor())
                .build();
    }

    /**
     * Posts one refresh request. {@code requestId} goes out as {@code X-Request-Id} so that the
     * vendor's logs (and the sandbox's) tie every applied item to the request that carried it.
     *
     * @return {@link KiboRefreshOutcome.Accepted} with the queued job id, or
     *         {@link KiboRefreshOutcome.Refused} with the vendor's per-item reasons
     * @throws com.inventorysync.http.RetriesExhaustedException when 429/503/I/O errors outlasted the retries
     * @throws VendorHttpException for any other answer
     */
    public KiboRefreshOutcome refresh(KiboRefreshRequest request, String requestId) {
        String path = prefix + "/api/v5/inventory/refresh";
        String operation = "POST " + path + " (" + requestId + ", "
                + request.items().size() + " items at " + request.locationName() + ")";
        return retry.call(
                operation,
                () -> credentials.call(
                        "POST",
                        path,
                        () -> http.post()
                                .uri(path)
                                .header(REQUEST_ID, requestId)
                                .contentType(MediaType.APPLICATION_JSON)
                                .body(request)
                                .exchange((req, res) -> {
                                    int status = res.getStatusCode().value();
                                    if (status == 200) {
                                        JobIdResponse body = res.bodyTo(JobIdResponse.class);
                                        if (body == null || body.jobID() == null) {
                                            throw new VendorHttpException(
                                                    "POST", path, 200, "the answer carries no jobID", null);
                                        }
                                        return new KiboRefreshOutcome.Accepted(body.jobID());
                                    }
                                    if (status == 400) {
                                        ValidationError error = readQuietly(() -> res.bodyTo(ValidationError.class));
                                        List<KiboRefreshOutcome.ItemError> errors = new ArrayList<>();
                                        if (error != null && error.errors() != null) {
                                            error.errors()
                                                    .forEach(e -> errors.add(new KiboRefreshOutcome.ItemError(
                                                            e.index() == null ? -1 : e.index(), e.message())));
                                        }
                                        if (errors.isEmpty()) {
                                            errors.add(new KiboRefreshOutcome.ItemError(
                                                    -1, error != null ? error.message() : "refused"));
                                        }
                                        return new KiboRefreshOutcome.Refused(
                                                error != null ? error.message() : null, List.copyOf(errors));
                                    }
                                    throw failure("POST", path, res);
                                })));
    }

    /** Reads the status of a queued job; a job the queue does not know comes back as {@link KiboQueueJob#NOT_FOUND}. */
    public KiboQueueJob queueStatus(long jobId) {
        String path = prefix + "/api/v1/queue/" + jobId;
        return retry.call(
                "GET " + path,
                () -> credentials.call(
                        "GET",
                        path,
                        () -> http.get()
                                .uri(path)
                                .header(REQUEST_ID, "kibo-job-" + jobId)
                                .exchange((req, res) -> {
                                    int status = res.getStatusCode().value();
                                    if (status == 200) {
                                        return res.bodyTo(KiboQueueJob.class);
                                    }
                                    if (status == 404) {
                                        return new KiboQueueJob(jobId, null, KiboQueueJob.NOT_FOUND, 0, 0, 0);
                                    }
                                    throw failure("GET", path, res);
                                })));
    }

    private static RuntimeException failure(String method, String path, ClientHttpResponse res) throws IOException {
        String body = readQuietly(() -> new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8));
        return VendorHttp.failure(method, path, res.getStatusCode().value(), body, res.getHeaders());
    }

    private static <T> T readQuietly(IoSupplier<T> read) {
        try {
            return read.get();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static void requireSet(String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(property + " is not set: the job definition has a kibo section, so Kibo "
                    + "needs its connection settings (environment: "
                    + property.toUpperCase().replace('.', '_').replace('-', '_') + ")");
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    record JobIdResponse(Long jobID) {}

    record ValidationError(String message, List<ItemErrorBody> errors) {}

    record ItemErrorBody(Integer index, String message) {}
}
