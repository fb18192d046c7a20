package com.inventorysync.sandbox;

import static com.inventorysync.sandbox.TestHttp.basic;
import static com.inventorysync.sandbox.TestHttp.headers;
import static com.inventorysync.sandbox.TestHttp.onHandJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every sandbox endpoint's answers, success and each error it produces, validated against the OpenAPI files in
 * {@code contracts/} with the Atlassian swagger-request-validator. Where the test sends a deliberately invalid
 * request (to provoke a 400 or 401), only the response is validated; otherwise request and response both are.
 */
class ContractTest {
    static SandboxServer sandbox;
    static final TestHttp http = new TestHttp();
    static final JsonMapper json = JsonMapper.builder().build();
    static SandboxSeed.Credentials creds;

    static final OpenApiInteractionValidator OMNI = validator("omni-oms.yaml", "/omni");
    static final OpenApiInteractionValidator KIBO = validator("kibo-oms.yaml", "/kibo");
    static final OpenApiInteractionValidator KIBO_INV = validator("kibo-oms.yaml", "/kibo/inv");
    static final OpenApiInteractionValidator SHIPEDGE = validator("shipedge-oms.yaml", SandboxServer.SHIPEDGE_PREFIX);
    static final OpenApiInteractionValidator NEWSTORE = validator("newstore.yaml", "/newstore");

    private static OpenApiInteractionValidator validator(String file, String basePath) {
        return ContractFiles.validator(file, basePath);
    }

    @BeforeAll
    static void start() {
        sandbox = SandboxServer.start(SandboxSeed.load(Path.of("jobs/demo/sandbox-seed.json")));
        creds = sandbox.credentials();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    private static OpenApiInteractionValidator validatorFor(String path) {
        if (path.startsWith("/omni/")) {
            return OMNI;
        }
        if (path.startsWith("/kibo/inv/")) {
            return KIBO_INV;
        }
        if (path.startsWith("/kibo/")) {
            return KIBO;
        }
        return path.startsWith("/newstore/") ? NEWSTORE : SHIPEDGE;
    }

    /** Validates request and response; returns the answer for further checks. */
    private static TestHttp.Answer valid(TestHttp.Answer a, int expectedStatus) {
        assertThat(a.status()).as(a.body()).isEqualTo(expectedStatus);
        URI uri = URI.create(a.request().url());
        ValidationReport report = validatorFor(uri.getPath()).validate(request(a, uri), response(a));
        assertThat(report.hasErrors())
                .as(SimpleValidationReportFormat.getInstance().apply(report))
                .isFalse();
        return a;
    }

    /** Validates only the response (the request was deliberately outside the contract). */
    private static TestHttp.Answer validResponse(TestHttp.Answer a, int expectedStatus) {
        assertThat(a.status()).as(a.body()).isEqualTo(expectedStatus);
        URI uri = URI.create(a.request().url());
        ValidationReport report = validatorFor(uri.getPath())
                .validateResponse(
                        uri.getPath(), Request.Method.valueOf(a.request().method()), response(a));
        assertThat(report.hasErrors())
                .as(SimpleValidationReportFormat.getInstance().apply(report))
                .isFalse();
        return a;
    }

    private static SimpleRequest request(TestHttp.Answer a, URI uri) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(a.request().method(), uri.getPath());
        HttpCall.parseForm(uri.getRawQuery()).forEach(b::withQueryParam);
        a.request().headers().forEach(b::withHeader);
        if (a.request().body() != null) {
            b.withBody(a.request().body());
        }
        return b.build();
    }

    private static SimpleResponse response(TestHttp.Answer a) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(a.status());
        a.headers().forEach((name, value) -> b.withHeader(name, value));
        if (a.body() != null && !a.body().isEmpty()) {
            b.withBody(a.body());
        }
        return b.build();
    }

    private Map<String, String> omniKey() {
        return headers("Ocp-Apim-Subscription-Key", creds.omniSubscriptionKey());
    }

    private Map<String, String> omniPut() {
        return headers("Ocp-Apim-Subscription-Key", creds.omniSubscriptionKey(), "Content-Type", "application/json");
    }

    // --- Omni ---

    @Test
    void omniLocations() {
        String url = sandbox.omniBaseUrl() + "/v1/inventorylocations/";
        valid(http.send("GET", url + "?pageSize=2&pageNumber=2", omniKey(), null), 200);
        valid(http.send("GET", url + "?locationInternalName=WH-00", omniKey(), null), 200);
        validResponse(http.send("GET", url, Map.of(), null), 401);
        validResponse(http.send("GET", url, headers("Ocp-Apim-Subscription-Key", "wrong"), null), 401);
        sandbox.faults().rateLimit("omni", 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> http.send("GET", url, omniKey(), null).status() == 429);
        TestHttp.Answer throttled = http.send("GET", url, omniKey(), null);
        if (throttled.status() == 429) {
            assertThat(valid(throttled, 429).header("Retry-After")).isEqualTo("1");
        }
    }

    @Test
    void omniOnHandAndAvailableReads() {
        for (String what : List.of("onhand", "available")) {
            String url = sandbox.omniBaseUrl() + "/v1/inventory/" + what;
            valid(
                    http.send(
                            "GET",
                            url
                                    + "?locationInternalNames=WH-00&locationInternalNames=STORE-01&pageSize=50&pageNumber=2",
                            omniKey(),
                            null),
                    200);
            valid(
                    http.send(
                            "GET",
                            url + "?locationInternalNames=WH-00&skus=TEE-BLK-S&skus=CAP-RED-OS",
                            omniKey(),
                            null),
                    200);
            validResponse(http.send("GET", url, omniKey(), null), 400);
            validResponse(http.send("GET", url + "?locationInternalNames=WH-00&pageSize=0", omniKey(), null), 400);
            validResponse(http.send("GET", url + "?locationInternalNames=WH-00", Map.of(), null), 401);
        }
        sandbox.faults().tooManyRequests("omni.onhand.get", 1.0, 3);
        assertThat(valid(
                                http.send(
                                        "GET",
                                        sandbox.omniBaseUrl() + "/v1/inventory/onhand?locationInternalNames=WH-00",
                                        omniKey(),
                                        null),
                                429)
                        .header("Retry-After"))
                .isEqualTo("3");
    }

    @Test
    void omniOnHandWrites() {
        String url = sandbox.omniBaseUrl() + "/v1/inventory/onhand";
        valid(http.send("PUT", url, omniPut(), onHandJson("TEE-BLK-S", "WH-00", "Delta", -2)), 204);
        valid(http.send("PUT", url, omniPut(), onHandJson("TEE-BLK-S", "WH-00", "Absolute", 10)), 204);
        valid(http.send("PUT", url, omniPut(), onHandJson("TEE-BLK-S", "WH-00", "Absolute", -1)), 400);
        validResponse(http.send("PUT", url, omniPut(), onHandJson("TEE-BLK-S", "WH-00", "Relative", 1)), 400);
        validResponse(http.send("PUT", url, omniPut(), "{\"Sku\":\"TEE-BLK-S\"}"), 400);
        valid(http.send("PUT", url, omniPut(), onHandJson("NO-SUCH-SKU", "WH-00", "Absolute", 1)), 404);
        valid(http.send("PUT", url, omniPut(), onHandJson("TEE-BLK-S", "WH-77", "Absolute", 1)), 404);
        validResponse(
                http.send(
                        "PUT",
                        url,
                        headers("Content-Type", "application/json"),
                        onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1)),
                401);
        sandbox.faults().tooManyRequests("omni.onhand.put", 1.0, 2);
        assertThat(valid(http.send("PUT", url, omniPut(), onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1)), 429)
                        .header("Retry-After"))
                .isEqualTo("2");
        sandbox.faults().clear().unavailable("omni.onhand.put", 1.0);
        valid(http.send("PUT", url, omniPut(), onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1)), 503);
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isEqualTo(10);
    }

    @Test
    void omniVirtualInventory() {
        String url = sandbox.omniBaseUrl() + "/v1/virtualinventory/";
        valid(
                http.send(
                        "GET",
                        url + "?inventoryPoolGroupNames=WEB&inventoryPoolGroupNames=STORES&pageSize=20&pageNumber=2",
                        omniKey(),
                        null),
                200);
        valid(
                http.send("GET", url + "?inventoryPoolGroupNames=WEB&skus=TEE-BLK-M&skus=HOOD-GRY-L", omniKey(), null),
                200);
        validResponse(http.send("GET", url, omniKey(), null), 400);
        validResponse(
                http.send(
                        "GET",
                        url + "?inventoryPoolGroupNames=WEB&skus=1&skus=2&skus=3&skus=4&skus=5&skus=6&skus=7&skus=8",
                        omniKey(),
                        null),
                400);
        validResponse(http.send("GET", url + "?inventoryPoolGroupNames=WEB", Map.of(), null), 401);
    }

    // --- Kibo ---

    private String kiboToken() {
        TestHttp.Answer a = valid(
                http.send(
                        "POST",
                        sandbox.kiboTokenUrl(),
                        headers(
                                "Authorization",
                                basic(creds.kiboClientId(), creds.kiboClientSecret()),
                                "Content-Type",
                                "application/x-www-form-urlencoded"),
                        "grant_type=client_credentials"),
                200);
        return json.readTree(a.body()).get("access_token").stringValue();
    }

    @Test
    void kiboTokenRefreshAndQueue() {
        valid(
                http.send(
                        "POST",
                        sandbox.kiboTokenUrl(),
                        headers(
                                "Authorization",
                                basic(creds.kiboClientId(), "wrong"),
                                "Content-Type",
                                "application/x-www-form-urlencoded"),
                        "grant_type=client_credentials"),
                401);
        String token = kiboToken();
        Map<String, String> bearer = headers("Authorization", "Bearer " + token, "Content-Type", "application/json");
        for (String base : List.of(sandbox.kiboBaseUrl(), sandbox.kiboBaseUrl() + "/inv")) {
            TestHttp.Answer accepted = valid(
                    http.send(
                            "POST",
                            base + "/api/v5/inventory/refresh",
                            bearer,
                            "{\"locationName\":\"Store 1\",\"items\":[{\"sku\":\"TEE-BLK-S\",\"quantity\":3,\"binID\":1},"
                                    + "{\"upc\":\""
                                    + sandbox.seed().catalog().get(5).upc() + "\",\"quantity\":0}]}"),
                    200);
            long jobId = json.readTree(accepted.body()).get("jobID").longValue();
            valid(http.send("GET", base + "/api/v1/queue/" + jobId, bearer, null), 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(sandbox.kiboJobStatus(jobId)));
            valid(http.send("GET", base + "/api/v1/queue/" + jobId, bearer, null), 200);
            valid(http.send("GET", base + "/api/v1/queue/999999", bearer, null), 404);
            valid(
                    http.send(
                            "POST",
                            base + "/api/v5/inventory/refresh",
                            bearer,
                            "{\"locationName\":\"Store 1\",\"items\":[{\"sku\":\"NO-SUCH\",\"quantity\":3}]}"),
                    400);
            validResponse(
                    http.send(
                            "POST",
                            base + "/api/v5/inventory/refresh",
                            bearer,
                            "{\"locationName\":\"Store 1\",\"items\":[{\"sku\":\"TEE-BLK-S\",\"quantity\":-3}]}"),
                    400);
            validResponse(
                    http.send(
                            "POST",
                            base + "/api/v5/inventory/refresh",
                            bearer,
                            "{\"locationName\":\"Store 1\",\"items\":[]}"),
                    400);
            validResponse(
                    http.send(
                            "POST",
                            base + "/api/v5/inventory/refresh",
                            headers("Content-Type", "application/json"),
                            "{\"locationName\":\"Store 1\",\"items\":[{\"sku\":\"TEE-BLK-S\",\"quantity\":3}]}"),
                    401);
        }
        String refresh = sandbox.kiboBaseUrl() + "/inv/api/v5/inventory/refresh";
        String body = "{\"locationName\":\"Store 1\",\"items\":[{\"sku\":\"TEE-BLK-S\",\"quantity\":3}]}";
        sandbox.faults().tooManyRequests("kibo.refresh", 1.0, 4);
        assertThat(valid(http.send("POST", refresh, bearer, body), 429).header("Retry-After"))
                .isEqualTo("4");
        sandbox.faults().clear().unavailable("kibo.refresh", 1.0);
        valid(http.send("POST", refresh, bearer, body), 503);
        sandbox.faults().clear().expireTokensNow();
        valid(http.send("POST", refresh, bearer, body), 401);
        // The contract lists no 401 for the queue endpoint; the sandbox still refuses an expired token there.
        assertThat(http.send("GET", sandbox.kiboBaseUrl() + "/api/v1/queue/1001", bearer, null)
                        .status())
                .isEqualTo(401);
    }

    // --- ShipEdge ---

    @Test
    void shipEdgePingAndStock() {
        Map<String, String> auth = headers("AccountID", creds.shipEdgeAccountId(), "Key", creds.shipEdgeKey());
        valid(http.send("POST", sandbox.shipEdgeBaseUrl() + "/ping", auth, null), 200);
        validResponse(
                http.send("POST", sandbox.shipEdgeBaseUrl() + "/ping", headers("AccountID", "x", "Key", "y"), null),
                401);
        TestHttp.Answer page = valid(
                http.send("GET", sandbox.shipEdgeBaseUrl() + "/inventory/stock?page=2&per_page=25", auth, null), 200);
        assertThat(json.readTree(page.body()).get("metadata").get("total_pages").intValue())
                .isEqualTo(3);
        valid(
                http.send(
                        "GET",
                        sandbox.shipEdgeBaseUrl() + "/inventory/stock?sku=TEE-BLK-S&distribution_center=WH-00",
                        auth,
                        null),
                200);
        validResponse(http.send("GET", sandbox.shipEdgeBaseUrl() + "/inventory/stock?per_page=501", auth, null), 400);
        validResponse(http.send("GET", sandbox.shipEdgeBaseUrl() + "/inventory/stock", Map.of(), null), 401);
    }

    // --- NewStore ---

    @Test
    void newStoreTokenAndConfig() {
        TestHttp.Answer token = valid(
                http.send(
                        "POST",
                        sandbox.newStoreTokenUrl(),
                        headers("Content-Type", "application/x-www-form-urlencoded"),
                        "grant_type=client_credentials&client_id=" + creds.newStoreClientId() + "&client_secret="
                                + creds.newStoreClientSecret()),
                200);
        Map<String, String> bearer = headers(
                "Authorization",
                "Bearer " + json.readTree(token.body()).get("access_token").stringValue(),
                "Content-Type",
                "application/json");
        String url = sandbox.newStoreBaseUrl() + "/v0/d/external_oms/config";
        valid(http.send("GET", url, bearer, null), 200);
        valid(http.send("PUT", url, bearer, "{\"enabled\":true}"), 200);
        assertThat(sandbox.newStoreExternalOmsEnabled()).isTrue();
        validResponse(http.send("PUT", url, bearer, "{\"on\":1}"), 400);
        validResponse(http.send("GET", url, Map.of(), null), 401);
        sandbox.faults().expireTokensNow();
        valid(http.send("GET", url, bearer, null), 401);
    }
}
