package com.inventorysync.http;

import com.inventorysync.config.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * A vendor's OAuth 2 client-credentials tokens, by Spring Security's OAuth 2 client: a
 * {@link ClientRegistration} built from the product's settings, an authorized-client manager that
 * keeps the token and renews it once it is within the clock skew of expiring, and an
 * {@link OAuth2ClientHttpRequestInterceptor} that puts it on every request of the vendor's
 * {@link RestClient}. The token endpoint is called through the vendor's request factory, so with
 * its timeouts and proxy.
 * <p>
 * {@link #call} adds what the interceptor leaves to the caller: after a 401 the kept token is
 * dropped and the call is made once more with a new one; a second 401 means the credentials are
 * wrong. Neither the secret nor any token is ever logged or put in an exception message.
 */
public final class ClientCredentials {
    /** Client-credentials tokens belong to the application, not to a user: one fixed principal holds them. */
    private static final Authentication PRINCIPAL = new AnonymousAuthenticationToken(
            "inventory-sync", "inventory-sync", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

    /**
     * @param vendor          the vendor's name in messages, e.g. {@code Kibo}
     * @param settingsPrefix  where its settings live, e.g. {@code inventory-sync.kibo}, named in messages
     * @param authentication  how the client id and secret go to the token endpoint
     */
    public record Registration(
            String vendor,
            String settingsPrefix,
            String tokenUrl,
            String clientId,
            String clientSecret,
            ClientAuthenticationMethod authentication,
            Duration clockSkew) {
        @Override
        public String toString() {
            return "ClientCredentials.Registration[vendor=" + vendor + ", tokenUrl=" + tokenUrl + ", clientId="
                    + clientId + ", clientSecret=****]";
        }
    }

    private final Registration registration;
    private final OAuth2AuthorizedClientService authorizedClients;
    private final OAuth2ClientHttpRequestInterceptor interceptor;

    public ClientCredentials(Registration registration, ClientHttpRequestFactory requestFactory) {
        this.registration = registration;
        String registrationId = registrationId();
        ClientRegistration client = ClientRegistration.withRegistrationId(registrationId)
                .clientId(registration.clientId())
                .clientSecret(registration.clientSecret())
                .clientAuthenticationMethod(registration.authentication())
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .tokenUri(registration.tokenUrl())
                .build();
        InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(client);
        this.authorizedClients = new InMemoryOAuth2AuthorizedClientService(registrations);

        RestClientClientCredentialsTokenResponseClient tokenEndpoint =
                new RestClientClientCredentialsTokenResponseClient();
        tokenEndpoint.setRestClient(RestClient.builder()
                .requestFactory(requestFactory)
                .configureMessageConverters(converters -> converters
                        .addCustomConverter(new FormHttpMessageConverter())
                        .addCustomConverter(new OAuth2AccessTokenResponseHttpMessageConverter()))
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
                .build());
        AuthorizedClientServiceOAuth2AuthorizedClientManager manager =
                new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, authorizedClients);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .clientCredentials(c -> c.clockSkew(registration.clockSkew()).accessTokenResponseClient(tokenEndpoint))
                .build());
        manager.setAuthorizationSuccessHandler((authorized, principal, attributes) -> {
            Secrets.register(authorized.getAccessToken().getTokenValue());
            authorizedClients.saveAuthorizedClient(authorized, principal);
        });

        this.interceptor = new OAuth2ClientHttpRequestInterceptor(manager);
        interceptor.setClientRegistrationIdResolver(request -> registrationId);
        interceptor.setPrincipalResolver(request -> PRINCIPAL);
        interceptor.setAuthorizationFailureHandler(
                OAuth2ClientHttpRequestInterceptor.authorizationFailureHandler(authorizedClients));
    }

    /** Puts the kept token (fetched or renewed first when needed) on each request. */
    public ClientHttpRequestInterceptor interceptor() {
        return interceptor;
    }

    /** Forgets the kept token, as if it had expired; the next call fetches a new one. */
    private void forgetToken() {
        authorizedClients.removeAuthorizedClient(registrationId(), PRINCIPAL.getName());
    }

    /**
     * Runs one call of the vendor's API, failures translated as {@link VendorHttp#translated} does.
     * A 401 means the kept token is no longer good (revoked, or expired early): the interceptor's
     * failure handler has dropped it; it is dropped here too in case the answer carried no
     * {@code WWW-Authenticate} the handler understood, and the call is made once more with a new
     * token. A token endpoint that cannot be reached or answers 429/503 fails transiently.
     *
     * @throws CredentialsRefusedException when the vendor refuses a fresh token too, or the token endpoint refuses the credentials
     */
    public <T> T call(String method, String path, Supplier<T> call) {
        try {
            return withToken(method, path, call);
        } catch (VendorHttpException e) {
            if (e.status() != 401) {
                throw e;
            }
            forgetToken();
            try {
                return withToken(method, path, call);
            } catch (VendorHttpException again) {
                if (again.status() == 401) {
                    throw new CredentialsRefusedException(
                            registration.vendor() + " refused a fresh token too (401): check "
                                    + registration.settingsPrefix() + ".client-id and client-secret",
                            again);
                }
                throw again;
            }
        }
    }

    private <T> T withToken(String method, String path, Supplier<T> call) {
        try {
            return VendorHttp.translated(method, path, call);
        } catch (OAuth2AuthorizationException e) {
            throw tokenFailure(e);
        }
    }

    /** The token endpoint failed: unreachable or overloaded is transient, refused credentials are not. */
    private RuntimeException tokenFailure(OAuth2AuthorizationException e) {
        String reason = e.getError().getErrorCode();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return new UncheckedIOException(
                        "the " + registration.vendor() + " token endpoint could not be reached", io);
            }
            if (t instanceof RestClientResponseException r) {
                int status = r.getStatusCode().value();
                if (status == 429 || status == 503) {
                    // the body of a failed token request is not repeated: it may echo credentials
                    return VendorHttp.failure("POST", "token", status, "token endpoint busy", r.getResponseHeaders());
                }
                reason = "the token endpoint answered " + status;
            }
        }
        return new CredentialsRefusedException(
                registration.vendor() + " did not grant a token (" + reason + "): check "
                        + registration.settingsPrefix() + ".token-url, client-id and client-secret",
                e);
    }

    private String registrationId() {
        return registration.vendor().toLowerCase(Locale.ROOT);
    }
}
