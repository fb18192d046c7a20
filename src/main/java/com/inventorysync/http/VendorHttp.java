package com.inventorysync.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * What the {@link RestClient}s of Kibo, NewStore and ShipEdge share: one request factory (Apache
 * HttpClient 5, the library Omni's client runs on) and one translation of failures into the
 * exceptions {@link HttpRetry} judges.
 */
public final class VendorHttp {
    /** Longest vendor message kept in an exception. */
    private static final int MESSAGE_LIMIT = 500;

    private VendorHttp() {}

    /**
     * A request factory with the given timeouts that goes through the proxy the JVM's standard
     * properties name ({@code https.proxyHost}, {@code https.proxyPort}, {@code http.proxyHost},
     * {@code http.nonProxyHosts}) and trusts what {@code javax.net.ssl.*} says. The library never
     * repeats a request itself (only {@link HttpRetry} does) and follows no redirect.
     *
     * @param readTimeout a request whose answer sends no byte for that long fails as an I/O error
     */
    public static ClientHttpRequestFactory requestFactory(Duration connectTimeout, Duration readTimeout) {
        return requestFactory(connectTimeout, readTimeout, null);
    }

    /** As {@link #requestFactory(Duration, Duration)}, every request timed by {@code meter} ({@link VendorHttpMeters#requests}). */
    public static ClientHttpRequestFactory requestFactory(
            Duration connectTimeout, Duration readTimeout, ExecChainHandler meter) {
        var builder = HttpClients.custom();
        if (meter != null) {
            builder.addExecInterceptorFirst("inventorysync-meter", meter);
        }
        var client = builder.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .useSystemProperties()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setSocketTimeout(Timeout.of(readTimeout))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(readTimeout))
                        .build())
                .useSystemProperties()
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .build();
        HttpComponentsClientHttpRequestFactory factory = new HttpComponentsClientHttpRequestFactory(client);
        factory.setReadTimeout(readTimeout);
        return factory;
    }

    /**
     * Runs a call made with a {@link RestClient} and turns its failures into ours: an I/O error into
     * {@link UncheckedIOException}, an error status the client raised into {@link VendorHttpException}.
     */
    public static <T> T translated(String method, String path, Supplier<T> call) {
        try {
            return call.get();
        } catch (ResourceAccessException e) {
            throw new UncheckedIOException(
                    e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e));
        } catch (RestClientResponseException e) {
            throw failure(method, path, e.getStatusCode().value(), e.getResponseBodyAsString(), e.getResponseHeaders());
        }
    }

    /**
     * An answer other than success. A 407 means a proxy refused us: nothing gets through until an
     * operator fixes the proxy settings, so it is a refusal of the credentials, not of the request.
     *
     * @param vendorMessage what the vendor said (cut to 500 characters); never a body that may echo credentials
     */
    public static RuntimeException failure(
            String method, String path, int status, String vendorMessage, HttpHeaders headers) {
        if (status == 407) {
            return new CredentialsRefusedException(method + " " + path
                    + ": the proxy asks for credentials (407): check " + "https.proxyHost / http.nonProxyHosts");
        }
        String message = vendorMessage == null || vendorMessage.length() <= MESSAGE_LIMIT
                ? vendorMessage
                : vendorMessage.substring(0, MESSAGE_LIMIT) + "...";
        return new VendorHttpException(
                method,
                path,
                status,
                message,
                RetryAfter.parse(headers == null ? null : headers.getFirst(HttpHeaders.RETRY_AFTER)));
    }
}
