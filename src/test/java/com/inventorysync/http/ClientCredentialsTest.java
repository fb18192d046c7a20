package com.inventorysync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.web.client.RestClient;

/**
 * The client-credentials flow both OAuth vendors share, against a local server whose answers each
 * test chooses: what a 401 after a fresh token, a refused grant and a busy token endpoint lead to.
 */
class ClientCredentialsTest {
    private static final String SECRET = "s3cret-value";

    private HttpServer server;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile int tokenStatus = 200;
    private volatile int resourceStatus = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", exchange -> {
            calls.add("token " + tokenStatus);
            if (tokenStatus == 200) {
                reply(
                        exchange,
                        200,
                        "{\"access_token\":\"token-" + calls.size()
                                + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
            } else if (tokenStatus == 401) {
                reply(exchange, 401, "{\"error\":\"invalid_client\"}");
            } else {
                reply(exchange, tokenStatus, "");
            }
        });
        server.createContext("/resource", exchange -> {
            calls.add("resource " + resourceStatus + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            reply(exchange, resourceStatus, resourceStatus == 200 ? "{\"ok\":true}" : "");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aTokenIsFetchedOnceAndKeptForLaterCalls() {
        ClientCredentials credentials = credentials();
        RestClient http = client(credentials);

        assertThat(credentials.call("GET", "/resource", () -> get(http))).contains("ok");
        assertThat(credentials.call("GET", "/resource", () -> get(http))).contains("ok");

        assertThat(calls).containsExactly("token 200", "resource 200 Bearer token-1", "resource 200 Bearer token-1");
    }

    @Test
    void a401IsTriedOnceMoreWithANewTokenAndASecond401RefusesTheCredentials() {
        ClientCredentials credentials = credentials();
        RestClient http = client(credentials);
        resourceStatus = 401;

        assertThatThrownBy(() -> credentials.call("GET", "/resource", () -> get(http)))
                .isInstanceOf(CredentialsRefusedException.class)
                .hasMessage(
                        "Acme refused a fresh token too (401): check inventory-sync.acme.client-id and client-secret")
                .hasMessageNotContaining(SECRET);
        assertThat(calls)
                .containsExactly(
                        "token 200", "resource 401 Bearer token-1", "token 200", "resource 401 Bearer token-3");
    }

    @Test
    void aTokenEndpointThatRefusesTheClientRefusesTheCredentialsAtOnce() {
        ClientCredentials credentials = credentials();
        RestClient http = client(credentials);
        tokenStatus = 401;
        HttpRetry retry = new HttpRetry(
                new HttpRetry.Settings(3, Duration.ofMillis(1), 1, Duration.ofMillis(1), Duration.ofSeconds(1)));

        assertThatThrownBy(() ->
                        retry.call("GET /resource", () -> credentials.call("GET", "/resource", () -> get(http))))
                .isInstanceOf(CredentialsRefusedException.class)
                .hasMessage(
                        "Acme did not grant a token (the token endpoint answered 401): check inventory-sync.acme.token-url, "
                                + "client-id and client-secret")
                .hasMessageNotContaining(SECRET);
        assertThat(calls).containsExactly("token 401");
    }

    @Test
    void aBusyTokenEndpointIsRetriedLikeAnyVendorCall() {
        ClientCredentials credentials = credentials();
        RestClient http = client(credentials);
        tokenStatus = 503;
        HttpRetry retry = new HttpRetry(
                new HttpRetry.Settings(3, Duration.ofMillis(1), 1, Duration.ofMillis(1), Duration.ofSeconds(1)));

        assertThatThrownBy(() ->
                        retry.call("GET /resource", () -> credentials.call("GET", "/resource", () -> get(http))))
                .isInstanceOf(RetriesExhaustedException.class)
                .hasMessageContaining("gave up after 3 attempts");
        assertThat(calls).containsExactly("token 503", "token 503", "token 503");
    }

    private ClientCredentials credentials() {
        return new ClientCredentials(
                new ClientCredentials.Registration(
                        "Acme",
                        "inventory-sync.acme",
                        base() + "/token",
                        "acme-client",
                        SECRET,
                        ClientAuthenticationMethod.CLIENT_SECRET_POST,
                        Duration.ofSeconds(60)),
                requestFactory());
    }

    private RestClient client(ClientCredentials credentials) {
        return RestClient.builder()
                .baseUrl(base())
                .requestFactory(requestFactory())
                .requestInterceptor(credentials.interceptor())
                .build();
    }

    private static String get(RestClient http) {
        return http.get().uri("/resource").retrieve().body(String.class);
    }

    private ClientHttpRequestFactory requestFactory() {
        return VendorHttp.requestFactory(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
