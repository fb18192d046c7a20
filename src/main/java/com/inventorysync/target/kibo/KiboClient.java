package com.inventorysync.target.kibo;

import com.inventorysync.config.InventorySyncProperties;
import com.inventorysync.jobdef.JobDefinition.KiboBasePath;
import com.inventorysync.target.HttpRetry;
import com.inventorysync.target.VendorHttpException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Kibo OMS over HTTP: inventory refresh and queue status, authenticated with an OAuth 2
 * client-credentials token. Spring Security's OAuth 2 client obtains the token (client_secret_basic
 * against {@code inventory-sync.kibo.token-url}), keeps it, and renews it once it is within the
 * clock skew of its expiry; on a 401 the kept token is dropped and the call is made once more
 * with a new one. 429, 503 and I/O errors are retried by the shared {@link HttpRetry}.
 *
 * <p>Neither the client secret nor any token is ever logged or put in an exception message.
 */
public class KiboClient {
    static final String REGISTRATION_ID = "kibo";
    /** Client-credentials tokens belong to the application, not to a user: one fixed principal holds them. */
    private static final Authentication PRINCIPAL = new AnonymousAuthenticationToken("inventory-sync", "inventory-sync",
            AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
    private static final String REQUEST_ID = "X-Request-Id";

    private final RestClient http;
    private final OAuth2AuthorizedClientService authorizedClients;
    private final String prefix;
    private final HttpRetry retry;

    public KiboClient(InventorySyncProperties.Kibo connection, KiboBasePath basePath, KiboOptions options, Duration connectTimeout,
                      HttpRetry retry, RestClient.Builder builder) {
        requireSet("inventory-sync.kibo.base-url", connection.baseUrl());
        requireSet("inventory-sync.kibo.token-url", connection.tokenUrl());
        requireSet("inventory-sync.kibo.client-id", connection.clientId());
        requireSet("inventory-sync.kibo.client-secret", connection.clientSecret());
        this.prefix = basePath == KiboBasePath.V5 ? "" : "/inv";
        this.retry = retry;

        ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION_ID)
                .clientId(connection.clientId())
                .clientSecret(connection.clientSecret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .tokenUri(connection.tokenUrl())
                .build();
        InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration);
        this.authorizedClients = new InMemoryOAuth2AuthorizedClientService(registrations);
        AuthorizedClientServiceOAuth2AuthorizedClientManager manager =
                new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, authorizedClients);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .clientCredentials(c -> c.clockSkew(options.tokenClockSkew()))
                .build());

        OAuth2ClientHttpRequestInterceptor oauth = new OAuth2ClientHttpRequestInterceptor(manager);
        oauth.setClientRegistrationIdResolver(request -> REGISTRATION_ID);
        oauth.setPrincipalResolver(request -> PRINCIPAL);
        oauth.setAuthorizationFailureHandler(OAuth2ClientHttpRequestInterceptor.authorizationFailureHandler(authorizedClients));

        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(connectTimeout).build());
        requestFactory.setReadTimeout(options.readTimeout());
        this.http = builder.clone()
                .baseUrl(stripTrailingSlash(connection.baseUrl()))
                .requestFactory(requestFactory)
                .requestInterceptor(oauth)
                .build();
    }

    /**
     * Posts one refresh request. {@code requestId} goes out as {@code X-Request-Id} so that the
     * vendor's logs (and the sandbox's) tie every applied item to the request that carried it.
     *
     * @return {@link KiboRefreshOutcome.Accepted} with the queued job id, or
     *         {@link KiboRefreshOutcome.Refused} with the vendor's per-item reasons
     * @throws com.inventorysync.target.RetriesExhaustedException when 429/503/I/O errors outlasted the retries
     * @throws VendorHttpException for any other answer
     */
    public KiboRefreshOutcome refresh(KiboRefreshRequest request, String requestId) {
        String path = prefix + "/api/v5/inventory/refresh";
        String operation = "POST " + path + " (" + requestId + ", " + request.items().size() + " items at "
                + request.locationName() + ")";
        return retry.call(operation, () -> onceMoreAfter401(() -> http.post()
                .uri(path)
                .header(REQUEST_ID, requestId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(request)
                .exchange((req, res) -> {
                    HttpStatusCode status = res.getStatusCode();
                    if (status.value() == 200) {
                        JobIdResponse body = res.bodyTo(JobIdResponse.class);
                        if (body == null || body.jobID() == null) {
                            throw failure(operation, 200, "the answer carries no jobID", null);
                        }
                        return new KiboRefreshOutcome.Accepted(body.jobID());
                    }
                    if (status.value() == 400) {
                        ValidationError error = readQuietly(() -> res.bodyTo(ValidationError.class));
                        List<KiboRefreshOutcome.ItemError> errors = new ArrayList<>();
                        if (error != null && error.errors() != null) {
                            error.errors().forEach(e -> errors.add(new KiboRefreshOutcome.ItemError(
                                    e.index() == null ? -1 : e.index(), e.message())));
                        }
                        if (errors.isEmpty()) {
                            errors.add(new KiboRefreshOutcome.ItemError(-1, error != null ? error.message() : "refused"));
                        }
                        return new KiboRefreshOutcome.Refused(error != null ? error.message() : null, List.copyOf(errors));
                    }
                    throw failure(operation, status.value(), readQuietly(() -> new String(res.getBody().readAllBytes())),
                            res.getHeaders().getFirst("Retry-After"));
                })));
    }

    /** Reads the status of a queued job; a job the queue does not know comes back as {@link KiboQueueJob#NOT_FOUND}. */
    public KiboQueueJob queueStatus(long jobId) {
        String path = prefix + "/api/v1/queue/" + jobId;
        String operation = "GET " + path;
        return retry.call(operation, () -> onceMoreAfter401(() -> http.get()
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
                    throw failure(operation, status, readQuietly(() -> new String(res.getBody().readAllBytes())),
                            res.getHeaders().getFirst("Retry-After"));
                })));
    }

    /** Forgets the kept token, as if it had expired; the next call fetches a new one. */
    public void forgetToken() {
        authorizedClients.removeAuthorizedClient(REGISTRATION_ID, PRINCIPAL.getName());
    }

    /**
     * A 401 means the kept token is no longer good (revoked, or expired early): the interceptor's
     * failure handler has dropped it; drop it here too in case the answer carried no
     * {@code WWW-Authenticate} the handler understood, then try once more with a new token.
     */
    private <T> T onceMoreAfter401(Supplier<T> call) {
        try {
            return translated(call);
        } catch (VendorHttpException e) {
            if (e.status() != 401) {
                throw e;
            }
            forgetToken();
            try {
                return translated(call);
            } catch (VendorHttpException again) {
                if (again.status() == 401) {
                    throw new KiboAuthenticationException("Kibo refused a fresh token too (401): check "
                            + "inventory-sync.kibo.client-id and client-secret", again);
                }
                throw again;
            }
        }
    }

    private static <T> T translated(Supplier<T> call) {
        try {
            return call.get();
        } catch (ResourceAccessException e) {
            throw new UncheckedIOException(e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e));
        } catch (RestClientResponseException e) {
            throw failure("Kibo call", e.getStatusCode().value(), e.getResponseBodyAsString(),
                    e.getResponseHeaders() != null ? e.getResponseHeaders().getFirst("Retry-After") : null);
        } catch (OAuth2AuthorizationException e) {
            throw tokenFailure(e);
        }
    }

    /** The token endpoint failed: unreachable or overloaded is transient, refused credentials are not. */
    private static RuntimeException tokenFailure(OAuth2AuthorizationException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return new UncheckedIOException("the Kibo token endpoint could not be reached", io);
            }
            if (t instanceof RestClientResponseException r && (r.getStatusCode().value() == 429 || r.getStatusCode().value() == 503)) {
                return failure("POST token", r.getStatusCode().value(), "token endpoint busy", null);
            }
        }
        return new KiboAuthenticationException("Kibo did not grant a token (" + e.getError().getErrorCode() + "): check "
                + "inventory-sync.kibo.token-url, client-id and client-secret", e);
    }

    private static VendorHttpException failure(String operation, int status, String body, String retryAfter) {
        String message = body == null ? null : body.length() > 500 ? body.substring(0, 500) + "..." : body;
        int space = operation.indexOf(' ');
        return new VendorHttpException(space > 0 ? operation.substring(0, space) : "", space > 0 ? operation.substring(space + 1) : operation,
                status, message, parseRetryAfter(retryAfter));
    }

    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
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
                    + "needs its connection settings (environment: " + property.toUpperCase().replace('.', '_').replace('-', '_') + ")");
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    record JobIdResponse(Long jobID) {
    }

    record ValidationError(String message, List<ItemErrorBody> errors) {
    }

    record ItemErrorBody(Integer index, String message) {
    }
}
