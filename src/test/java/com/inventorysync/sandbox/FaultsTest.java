package com.inventorysync.sandbox;

import static com.inventorysync.sandbox.TestHttp.basic;
import static com.inventorysync.sandbox.TestHttp.headers;
import static com.inventorysync.sandbox.TestHttp.onHandJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Each fault knob and the rate limit, over real HTTP on loopback. */
class FaultsTest {
    static SandboxServer sandbox;
    static final TestHttp http = new TestHttp();
    static final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        sandbox = SandboxServer.start(SandboxOptions.of(SandboxSeed.load(Path.of("jobs/demo/sandbox-seed.json")))
                .withRandomSeed(7));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    private String onHandUrl() {
        return sandbox.omniBaseUrl() + "/v1/inventory/onhand";
    }

    private Map<String, String> put(String requestId) {
        return headers(
                "Ocp-Apim-Subscription-Key",
                sandbox.credentials().omniSubscriptionKey(),
                "Content-Type",
                "application/json",
                "X-Request-Id",
                requestId);
    }

    private List<Integer> sendDeltas(int count) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(http.send("PUT", onHandUrl(), put("pu-" + i), onHandJson("TEE-BLK-S", "WH-00", "Delta", 1))
                    .status());
        }
        return statuses;
    }

    @Test
    void aFractionOf503sIsNotAppliedAndTheSameRandomSeedRepeatsTheSameDecisions() {
        int start = sandbox.omniOnHand("TEE-BLK-S", "WH-00");
        sandbox.faults().unavailable("omni.onhand.put", 0.3);
        List<Integer> first = sendDeltas(60);
        long applied = first.stream().filter(s -> s == 204).count();
        assertThat(first).containsOnly(204, 503);
        assertThat(applied).isBetween(1L, 59L);
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isEqualTo(start + (int) applied);
        assertThat(sandbox.mutationLog()).hasSize((int) applied);

        sandbox.reset();
        sandbox.faults().unavailable("omni.onhand.put", 0.3);
        assertThat(sendDeltas(60)).isEqualTo(first);
    }

    @Test
    void aFractionOf429sCarriesRetryAfterAndIsNotApplied() {
        int start = sandbox.omniOnHand("TEE-BLK-S", "WH-00");
        sandbox.faults().tooManyRequests("omni.onhand.put", 0.5, 7);
        int applied = 0;
        int throttled = 0;
        for (int i = 0; i < 40; i++) {
            TestHttp.Answer a =
                    http.send("PUT", onHandUrl(), put("pu-" + i), onHandJson("TEE-BLK-S", "WH-00", "Delta", 1));
            if (a.status() == 429) {
                throttled++;
                assertThat(a.header("Retry-After")).isEqualTo("7");
                assertThat(json.readTree(a.body()).get("statusCode").intValue()).isEqualTo(429);
            } else {
                assertThat(a.status()).isEqualTo(204);
                applied++;
            }
        }
        assertThat(throttled).isPositive();
        assertThat(applied).isPositive();
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isEqualTo(start + applied);
        assertThat(sandbox.counters().get("omni.onhand.put"))
                .containsEntry(429, (long) throttled)
                .containsEntry(204, (long) applied);
    }

    @Test
    void aDroppedConnectionComesAfterTheChangeWasApplied() {
        int start = sandbox.omniOnHand("TEE-BLK-S", "WH-00");
        sandbox.faults().dropAfterApply("omni.onhand.put", 1.0);
        assertThatThrownBy(() -> http.sendOrThrow(
                        "PUT", onHandUrl(), put("pu-dropped"), onHandJson("TEE-BLK-S", "WH-00", "Delta", 3)))
                .isInstanceOf(IOException.class);
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isEqualTo(start + 3);
        assertThat(sandbox.mutationLog()).extracting(Mutation::requestId).containsExactly("pu-dropped");
        assertThat(sandbox.requestLog()).extracting(RequestRecord::status).containsExactly(0);
        assertThat(sandbox.counters().get("omni.onhand.put")).containsEntry(0, 1L);

        // Over raw sockets too: the server closes the connection without a single response byte.
        sandbox.reset();
        sandbox.faults().dropAfterApply("omni.onhand.put", 1.0);
        String body = onHandJson("TEE-BLK-S", "WH-00", "Absolute", 9);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", sandbox.port())) {
            socket.setSoTimeout(10_000);
            String request = "PUT /omni/v1/inventory/onhand HTTP/1.1\r\nHost: 127.0.0.1\r\nOcp-Apim-Subscription-Key: "
                    + sandbox.credentials().omniSubscriptionKey()
                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (IOException e) {
            assertThat(e).isInstanceOf(java.net.SocketException.class);
        }
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isEqualTo(9);
    }

    @Test
    void aFractionOfDropsLeavesEveryRequestAppliedOnce() {
        int start = sandbox.omniOnHand("TEE-BLK-S", "WH-00");
        sandbox.faults().dropAfterApply("mutations", 0.4);
        int dropped = 0;
        for (int i = 0; i < 30; i++) {
            try {
                http.sendOrThrow("PUT", onHandUrl(), put("pu-" + i), onHandJson("TEE-BLK-S", "WH-00", "Delta", 1));
            } catch (IOException e) {
                dropped++;
            }
        }
        assertThat(dropped).isBetween(1, 29);
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isEqualTo(start + 30);
        assertThat(sandbox.mutationLog()).hasSize(30);
        assertThat(sandbox.requestLog().stream().filter(r -> r.status() == 0).count())
                .isEqualTo(dropped);
    }

    @Test
    void latencyDelaysTheAnswerOfTheScopedEndpointOnly() throws Exception {
        sandbox.faults().latency("omni.onhand.put", 3000, 500);
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest slow = HttpRequest.newBuilder(URI.create(onHandUrl()))
                .timeout(Duration.ofMillis(300))
                .header("Ocp-Apim-Subscription-Key", sandbox.credentials().omniSubscriptionKey())
                .PUT(HttpRequest.BodyPublishers.ofString(onHandJson("TEE-BLK-S", "WH-00", "Absolute", 5)))
                .build();
        assertThatThrownBy(() -> client.send(slow, HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(HttpTimeoutException.class);
        HttpRequest other = HttpRequest.newBuilder(URI.create(sandbox.omniBaseUrl() + "/v1/inventorylocations/"))
                .timeout(Duration.ofSeconds(2))
                .header("Ocp-Apim-Subscription-Key", sandbox.credentials().omniSubscriptionKey())
                .GET()
                .build();
        assertThat(client.send(other, HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(200);
        // The delayed request still arrives, and is applied, once its latency has passed.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Integer.valueOf(5).equals(sandbox.omniOnHand("TEE-BLK-S", "WH-00")));
    }

    @Test
    void theRateLimitAnswers429AboveItsRateAndAppliesNothingThen() {
        int start = sandbox.omniOnHand("TEE-BLK-S", "WH-00");
        sandbox.faults().rateLimit("omni", 3);
        List<Integer> statuses = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            TestHttp.Answer a = http.send("PUT", onHandUrl(), put("pu"), onHandJson("TEE-BLK-S", "WH-00", "Delta", 1));
            statuses.add(a.status());
            if (a.status() == 429) {
                assertThat(a.header("Retry-After")).isEqualTo("1");
            }
            return a.status() == 429;
        });
        long applied = statuses.stream().filter(s -> s == 204).count();
        assertThat(applied).isGreaterThanOrEqualTo(3);
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isEqualTo(start + (int) applied);
        // Other APIs have their own budget.
        assertThat(http.send(
                                "POST",
                                sandbox.shipEdgeBaseUrl() + "/ping",
                                headers(
                                        "AccountID",
                                        sandbox.credentials().shipEdgeAccountId(),
                                        "Key",
                                        sandbox.credentials().shipEdgeKey()),
                                null)
                        .status())
                .isEqualTo(200);
        sandbox.faults().rateLimit("omni", 0);
        assertThat(sendDeltas(5)).containsOnly(204);
    }

    @Test
    void expireTokensNowMakesKiboAndNewStoreAnswer401UntilANewTokenIsFetched() {
        SandboxSeed.Credentials c = sandbox.credentials();
        String kiboToken = json.readTree(http.send(
                                "POST",
                                sandbox.kiboTokenUrl(),
                                headers(
                                        "Authorization",
                                        basic(c.kiboClientId(), c.kiboClientSecret()),
                                        "Content-Type",
                                        "application/x-www-form-urlencoded"),
                                "grant_type=client_credentials")
                        .body())
                .get("access_token")
                .stringValue();
        String nsToken = json.readTree(http.send(
                                "POST",
                                sandbox.newStoreTokenUrl(),
                                headers("Content-Type", "application/x-www-form-urlencoded"),
                                "grant_type=client_credentials&client_id=" + c.newStoreClientId() + "&client_secret="
                                        + c.newStoreClientSecret())
                        .body())
                .get("access_token")
                .stringValue();
        String refresh = sandbox.kiboBaseUrl() + "/inv/api/v5/inventory/refresh";
        String body = "{\"locationName\":\"Main DC\",\"items\":[{\"sku\":\"TEE-BLK-S\",\"quantity\":1}]}";
        String config = sandbox.newStoreBaseUrl() + "/v0/d/external_oms/config";
        assertThat(http.send(
                                "POST",
                                refresh,
                                headers("Authorization", "Bearer " + kiboToken, "Content-Type", "application/json"),
                                body)
                        .status())
                .isEqualTo(200);
        assertThat(http.send("GET", config, headers("Authorization", "Bearer " + nsToken), null)
                        .status())
                .isEqualTo(200);

        assertThat(http.send("POST", sandbox.adminUrl() + "/expire-tokens", Map.of(), null)
                        .status())
                .isEqualTo(200);
        assertThat(http.send(
                                "POST",
                                refresh,
                                headers("Authorization", "Bearer " + kiboToken, "Content-Type", "application/json"),
                                body)
                        .status())
                .isEqualTo(401);
        assertThat(http.send("GET", config, headers("Authorization", "Bearer " + nsToken), null)
                        .status())
                .isEqualTo(401);

        String fresh = json.readTree(http.send(
                                "POST",
                                sandbox.kiboTokenUrl(),
                                headers(
                                        "Authorization",
                                        basic(c.kiboClientId(), c.kiboClientSecret()),
                                        "Content-Type",
                                        "application/x-www-form-urlencoded"),
                                "grant_type=client_credentials")
                        .body())
                .get("access_token")
                .stringValue();
        assertThat(http.send(
                                "POST",
                                refresh,
                                headers("Authorization", "Bearer " + fresh, "Content-Type", "application/json"),
                                body)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void faultsSetThroughTheAdminApiAreScopedByEndpointOrPathPattern() {
        String settings = """
                {"randomSeed": 3, "rules": [{"scope": "kibo.refresh", "error503": 1.0},
                                             {"scope": "/omni/v1/inventory/*", "error429": 1.0, "retryAfterSeconds": 5}],
                 "rateLimits": {}}""";
        TestHttp.Answer set =
                http.send("PUT", sandbox.adminUrl() + "/faults", headers("Content-Type", "application/json"), settings);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(sandbox.faults().settings().rules()).hasSize(2);
        assertThat(sandbox.faults().randomSeed()).isEqualTo(3);
        TestHttp.Answer put =
                http.send("PUT", onHandUrl(), put("pu-1"), onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1));
        assertThat(put.status()).isEqualTo(429);
        assertThat(put.header("Retry-After")).isEqualTo("5");
        assertThat(http.send(
                                "GET",
                                sandbox.omniBaseUrl() + "/v1/inventorylocations/",
                                headers(
                                        "Ocp-Apim-Subscription-Key",
                                        sandbox.credentials().omniSubscriptionKey()),
                                null)
                        .status())
                .isEqualTo(200);

        assertThat(http.send(
                                "POST",
                                sandbox.adminUrl() + "/faults?spec="
                                        + java.net.URLEncoder.encode(
                                                "omni.locations.get:503=1", java.nio.charset.StandardCharsets.UTF_8),
                                Map.of(),
                                null)
                        .status())
                .isEqualTo(200);
        assertThat(http.send(
                                "GET",
                                sandbox.omniBaseUrl() + "/v1/inventorylocations/",
                                headers(
                                        "Ocp-Apim-Subscription-Key",
                                        sandbox.credentials().omniSubscriptionKey()),
                                null)
                        .status())
                .isEqualTo(503);
        assertThat(json.readTree(http.send("GET", sandbox.adminUrl() + "/faults", Map.of(), null)
                                .body())
                        .get("rules")
                        .size())
                .isEqualTo(3);

        assertThat(http.send("DELETE", sandbox.adminUrl() + "/faults", Map.of(), null)
                        .status())
                .isEqualTo(200);
        assertThat(http.send("PUT", onHandUrl(), put("pu-2"), onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1))
                        .status())
                .isEqualTo(204);
        assertThat(http.send(
                                "POST",
                                sandbox.adminUrl() + "/rate-limits",
                                headers("Content-Type", "application/json"),
                                "{\"omni\": 2}")
                        .status())
                .isEqualTo(200);
        assertThat(sandbox.faults().settings().rateLimits()).containsEntry("omni", 2);
    }

    @Test
    void startFlagsSetFaultsRateLimitsAndTheRandomSeed() {
        SandboxOptions options = SandboxCommand.parse(new String[] {
            "--port",
            "0",
            "--seed",
            "jobs/demo/sandbox-seed.json",
            "--fault",
            "omni.onhand.put:503=1",
            "--fault",
            "kibo.*:latency=10+5,429=0.25,retry-after=3",
            "--rate-limit",
            "shipedge=100",
            "--random-seed",
            "99"
        });
        assertThat(options.faults())
                .containsExactly(
                        FaultRule.unavailable("omni.onhand.put", 1.0),
                        new FaultRule("kibo.*", 10, 5, null, 0.25, 3, null));
        assertThat(options.rateLimits()).containsEntry("shipedge", 100);
        assertThat(options.randomSeed()).isEqualTo(99);
        try (SandboxServer flagged = SandboxServer.start(options)) {
            assertThat(http.send(
                                    "PUT",
                                    flagged.omniBaseUrl() + "/v1/inventory/onhand",
                                    put("pu"),
                                    onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1))
                            .status())
                    .isEqualTo(503);
            flagged.reset();
            assertThat(flagged.faults().settings().rules()).hasSize(2);
        }
        assertThatThrownBy(() -> SandboxCommand.parse(new String[] {"--fault", "omni.onhand.put:teapot=1"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key");
    }

    @Test
    void aLatePutIsStillAppliedAfterTheClientGaveUp() throws Exception {
        int start = sandbox.omniOnHand("TEE-BLK-S", "WH-00");
        sandbox.faults().latency("omni.onhand.put", 1500, 0);
        String body = onHandJson("TEE-BLK-S", "WH-00", "Delta", 3);
        java.time.Instant gaveUp;
        // A client with a 200 ms read timeout that gives up and closes its connection, as a timed-out sender does.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", sandbox.port())) {
            socket.setSoTimeout(200);
            String request = "PUT /omni/v1/inventory/onhand HTTP/1.1\r\nHost: 127.0.0.1\r\nOcp-Apim-Subscription-Key: "
                    + sandbox.credentials().omniSubscriptionKey()
                    + "\r\nContent-Type: application/json\r\nX-Request-Id: pu-late"
                    + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            gaveUp = java.time.Instant.now();
        }
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00"))
                .as("not yet applied when the client gave up")
                .isEqualTo(start);

        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.omniOnHand("TEE-BLK-S", "WH-00") == start + 3);
        assertThat(sandbox.mutationLog()).singleElement().satisfies(m -> {
            assertThat(m.requestId()).isEqualTo("pu-late");
            assertThat(m.before()).isEqualTo(start);
            assertThat(m.after()).isEqualTo(start + 3);
            assertThat(m.at()).isAfter(gaveUp);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !sandbox.requestLog().isEmpty());
        assertThat(sandbox.requestLog()).extracting(RequestRecord::requestId).containsExactly("pu-late");
    }

    @Test
    void anAnswerFaultAnswersForTheOmsWithoutApplyingByDefault() {
        int start = sandbox.omniOnHand("TEE-BLK-S", "WH-00");
        sandbox.faults().answer("omni.onhand.put", FaultRule.Answer.html(1.0, 200, false));
        TestHttp.Answer page =
                http.send("PUT", onHandUrl(), put("pu-html"), onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<html>").contains("200 OK");
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isEqualTo(start);
        assertThat(sandbox.mutationLog()).isEmpty();
        assertThat(sandbox.requestLog()).extracting(RequestRecord::status).containsExactly(200);
        assertThat(http.send(
                                "GET",
                                sandbox.omniBaseUrl() + "/v1/inventorylocations/",
                                headers(
                                        "Ocp-Apim-Subscription-Key",
                                        sandbox.credentials().omniSubscriptionKey()),
                                null)
                        .header("Content-Type"))
                .as("other endpoints untouched")
                .startsWith("application/json");

        sandbox.reset();
        sandbox.faults()
                .answer(
                        "omni.onhand.put",
                        1.0,
                        403,
                        "application/json",
                        "{\"statusCode\":403,\"message\":\"Out of call volume quota. Quota will be replenished in 00:00:59.\"}",
                        false);
        TestHttp.Answer quota =
                http.send("PUT", onHandUrl(), put("pu-quota"), onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1));
        assertThat(quota.status()).isEqualTo(403);
        assertThat(json.readTree(quota.body()).get("message").asString()).startsWith("Out of call volume quota");
        assertThat(sandbox.mutationLog()).isEmpty();
    }

    @Test
    void anAppliedAnswerFaultAppliesTheChangeThenAnswersWhatItWasTold() {
        int start = sandbox.omniOnHand("TEE-BLK-S", "WH-00");
        sandbox.faults().answer("omni.onhand.put", FaultRule.Answer.html(1.0, 502, true));
        TestHttp.Answer bad =
                http.send("PUT", onHandUrl(), put("pu-502"), onHandJson("TEE-BLK-S", "WH-00", "Delta", 4));
        assertThat(bad.status()).isEqualTo(502);
        assertThat(bad.body()).contains("502 Bad Gateway");
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isEqualTo(start + 4);
        assertThat(sandbox.mutationLog()).extracting(Mutation::requestId).containsExactly("pu-502");
        assertThat(sandbox.counters().get("omni.onhand.put")).containsEntry(502, 1L);

        // What the OMS refuses stays refused: the answer replaces only a success.
        TestHttp.Answer unknown =
                http.send("PUT", onHandUrl(), put("pu-404"), onHandJson("NO-SUCH-SKU", "WH-00", "Delta", 4));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(sandbox.mutationLog()).hasSize(1);
    }

    @Test
    void answerFaultsComeFromStartFlagsAndAdminJsonAndFollow503sInOrder() {
        SandboxOptions options = SandboxCommand.parse(new String[] {
            "--port",
            "0",
            "--seed",
            "jobs/demo/sandbox-seed.json",
            "--fault",
            "omni.onhand.put:status=403,body=apim",
            "--fault",
            "omni.onhand.get:status=401",
            "--fault",
            "omni.available.get:status=404,body=apim,answer=1,applied=false",
            "--fault",
            "omni.locations.get:status=200,body=html,content-type=text/html"
        });
        assertThat(options.faults().get(0).answer()).isEqualTo(FaultRule.Answer.apim(1.0, 403, false));
        assertThat(options.faults().get(3).answer().contentType()).isEqualTo("text/html");
        String key = sandbox.credentials().omniSubscriptionKey();
        try (SandboxServer flagged = SandboxServer.start(options)) {
            TestHttp.Answer quota = http.send(
                    "PUT",
                    flagged.omniBaseUrl() + "/v1/inventory/onhand",
                    put("pu"),
                    onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1));
            assertThat(quota.status()).isEqualTo(403);
            assertThat(json.readTree(quota.body()).get("statusCode").intValue()).isEqualTo(403);
            assertThat(json.readTree(quota.body()).get("message").asString()).startsWith("Out of call volume quota");
            TestHttp.Answer unauthorized = http.send(
                    "GET",
                    flagged.omniBaseUrl() + "/v1/inventory/onhand?locationInternalNames=WH-00",
                    headers("Ocp-Apim-Subscription-Key", key),
                    null);
            assertThat(unauthorized.status()).isEqualTo(401);
            assertThat(unauthorized.body()).isEmpty();
            assertThat(http.send(
                                    "GET",
                                    flagged.omniBaseUrl() + "/v1/inventory/available?locationInternalNames=WH-00",
                                    headers("Ocp-Apim-Subscription-Key", key),
                                    null)
                            .status())
                    .isEqualTo(404);
            TestHttp.Answer page = http.send(
                    "GET",
                    flagged.omniBaseUrl() + "/v1/inventorylocations/",
                    headers("Ocp-Apim-Subscription-Key", key),
                    null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).isEqualTo("text/html");
            assertThat(flagged.mutationLog()).isEmpty();
        }
        assertThatThrownBy(() -> FaultRule.parse("omni.onhand.put:status=200,body=teapot"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("html, apim or empty");
        assertThatThrownBy(() -> FaultRule.parse("omni.onhand.put:body=html"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need a status");

        String rule = """
                {"scope": "mutations", "error503": 1.0,
                 "answer": {"status": 200, "contentType": "text/html", "body": "<html>ok</html>", "applied": true}}""";
        assertThat(http.send("POST", sandbox.adminUrl() + "/faults", headers("Content-Type", "application/json"), rule)
                        .status())
                .isEqualTo(200);
        assertThat(sandbox.faults().settings().rules())
                .singleElement()
                .extracting(FaultRule::answer)
                .isEqualTo(new FaultRule.Answer(1.0, 200, "text/html", "<html>ok</html>", true));
        assertThat(http.send("PUT", onHandUrl(), put("pu"), onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1))
                        .status())
                .as("503 is decided before the answer")
                .isEqualTo(503);
        sandbox.faults().clear().answer("mutations", FaultRule.Answer.html(1.0, 200, true));
        TestHttp.Answer applied =
                http.send("PUT", onHandUrl(), put("pu-ok"), onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1));
        assertThat(applied.status()).isEqualTo(200);
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isEqualTo(1);
    }

    @Test
    void aFractionOfAnswersRepeatsWithTheSameRandomSeed() {
        List<List<Integer>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            sandbox.reset();
            sandbox.faults().randomSeed(11).answer("omni.onhand.put", FaultRule.Answer.empty(0.5, 404, false));
            runs.add(sendDeltas(40));
        }
        assertThat(runs.get(0)).isEqualTo(runs.get(1)).contains(404, 204);
        long answered = runs.get(1).stream().filter(s -> s == 404).count();
        assertThat(sandbox.mutationLog()).hasSize(40 - (int) answered);
    }
}
