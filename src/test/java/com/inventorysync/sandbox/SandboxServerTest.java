package com.inventorysync.sandbox;

import static com.inventorysync.sandbox.TestHttp.headers;
import static com.inventorysync.sandbox.TestHttp.onHandJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sandbox's behaviour over real HTTP on loopback: counts, paging, pools, Kibo jobs, tokens, admin API. */
class SandboxServerTest {
    static SandboxServer sandbox;
    static final TestHttp http = new TestHttp();
    static final JsonMapper json = JsonMapper.builder().build();
    static String key;

    @BeforeAll
    static void start() {
        Path seedFile = Path.of("jobs/demo/sandbox-seed.json");
        sandbox = SandboxServer.start(
                SandboxOptions.of(SandboxSeed.load(seedFile)).withSeedFile(seedFile));
        key = sandbox.credentials().omniSubscriptionKey();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    private TestHttp.Answer putOnHand(String body, String requestId) {
        return http.send(
                "PUT",
                sandbox.omniBaseUrl() + "/v1/inventory/onhand",
                headers(
                        "Ocp-Apim-Subscription-Key",
                        key,
                        "Content-Type",
                        "application/json",
                        "X-Request-Id",
                        requestId),
                body);
    }

    private JsonNode getJson(String url, String... headerPairs) {
        TestHttp.Answer a = http.send("GET", url, headers(headerPairs), null);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return json.readTree(a.body());
    }

    @Test
    void deltaAndAbsolutePutsChangeOnHandAndAreLoggedWithTheirRequestIds() {
        int before = sandbox.omniOnHand("TEE-BLK-S", "WH-00");
        assertThat(putOnHand(onHandJson("TEE-BLK-S", "WH-00", "Delta", -5), "pu-1")
                        .status())
                .isEqualTo(204);
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isEqualTo(before - 5);
        assertThat(putOnHand(onHandJson("TEE-BLK-S", "WH-00", "Absolute", 17), "pu-2")
                        .status())
                .isEqualTo(204);
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isEqualTo(17);

        List<Mutation> log = sandbox.mutationLog();
        assertThat(log).extracting(Mutation::requestId).containsExactly("pu-1", "pu-2");
        assertThat(log.get(0))
                .extracting(Mutation::type, Mutation::quantity, Mutation::before, Mutation::after)
                .containsExactly("Delta", -5, before, before - 5);
        assertThat(log.get(1))
                .extracting(
                        Mutation::vendor,
                        Mutation::endpoint,
                        Mutation::sku,
                        Mutation::location,
                        Mutation::type,
                        Mutation::after)
                .containsExactly("omni", "omni.onhand.put", "TEE-BLK-S", "WH-00", "Absolute", 17);
        assertThat(sandbox.counters().get("omni.onhand.put")).containsEntry(204, 2L);
        assertThat(sandbox.requestLog())
                .extracting(RequestRecord::path, RequestRecord::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/omni/v1/inventory/onhand", 204),
                        org.assertj.core.groups.Tuple.tuple("/omni/v1/inventory/onhand", 204));
    }

    @Test
    void aPutToAKnownSkuWithoutAPositionCreatesIt() {
        assertThat(sandbox.omniOnHand("BAG-BLK-OS", "STORE-01")).isNull();
        assertThat(putOnHand(onHandJson("BAG-BLK-OS", "STORE-01", "Absolute", 4), "pu-9")
                        .status())
                .isEqualTo(204);
        assertThat(sandbox.omniOnHand("BAG-BLK-OS", "STORE-01")).isEqualTo(4);
        assertThat(sandbox.mutationLog().get(0).before()).isNull();
    }

    @Test
    void invalidPutsAreRefusedAndApplyNothing() {
        assertThat(putOnHand(onHandJson("NOPE", "WH-00", "Absolute", 1), "x").status())
                .isEqualTo(404);
        assertThat(putOnHand(onHandJson("TEE-BLK-S", "WH-99", "Absolute", 1), "x")
                        .status())
                .isEqualTo(404);
        assertThat(putOnHand(onHandJson("TEE-BLK-S", "WH-00", "Absolute", -1), "x")
                        .status())
                .isEqualTo(400);
        assertThat(putOnHand(onHandJson("TEE-BLK-S", "WH-00", "Relative", 1), "x")
                        .status())
                .isEqualTo(400);
        assertThat(putOnHand("{not json", "x").status()).isEqualTo(400);
        TestHttp.Answer noKey = http.send(
                "PUT",
                sandbox.omniBaseUrl() + "/v1/inventory/onhand",
                headers("Content-Type", "application/json"),
                onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1));
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(json.readTree(noKey.body()).get("statusCode").intValue()).isEqualTo(401);
        assertThat(sandbox.mutationLog()).isEmpty();
    }

    @Test
    void onHandIsPagedInLocationThenSkuOrderAndAvailableSubtractsReservedAndAllocated() {
        String url = sandbox.omniBaseUrl()
                + "/v1/inventory/onhand?locationInternalNames=WH-01&locationInternalNames=WH-00&pageSize=30";
        JsonNode page1 = getJson(url + "&pageNumber=1", "Ocp-Apim-Subscription-Key", key);
        JsonNode page3 = getJson(url + "&pageNumber=3", "Ocp-Apim-Subscription-Key", key);
        assertThat(page1.get("TotalCount").intValue()).isEqualTo(80);
        assertThat(page1.get("Items").size()).isEqualTo(30);
        assertThat(page3.get("Items").size()).isEqualTo(20);
        assertThat(page1.get("Items").get(0).get("LocationInternalName").stringValue())
                .isEqualTo("WH-00");
        assertThat(page3.get("Items").get(19).get("LocationInternalName").stringValue())
                .isEqualTo("WH-01");

        SandboxSeed.Position withReservation = sandbox.seed().onHand().stream()
                .filter(p -> p.reserved() + p.allocated() > 0)
                .findFirst()
                .orElseThrow();
        JsonNode available = getJson(
                sandbox.omniBaseUrl() + "/v1/inventory/available?locationInternalNames=" + withReservation.location()
                        + "&skus=" + withReservation.sku(),
                "Ocp-Apim-Subscription-Key",
                key);
        assertThat(available.get("Items").get(0).get("Quantity").intValue())
                .isEqualTo(Math.max(
                        0, withReservation.onHand() - withReservation.reserved() - withReservation.allocated()));
    }

    @Test
    void limitsOnLocationsSkusAndPageSizeAnswer400() {
        StringBuilder tooMany = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            tooMany.append(i == 0 ? "?" : "&").append("locationInternalNames=L").append(i);
        }
        String base = sandbox.omniBaseUrl() + "/v1/inventory/onhand";
        assertThat(http.send("GET", base + tooMany, headers("Ocp-Apim-Subscription-Key", key), null)
                        .status())
                .isEqualTo(400);
        assertThat(http.send("GET", base, headers("Ocp-Apim-Subscription-Key", key), null)
                        .status())
                .isEqualTo(400);
        assertThat(http.send(
                                "GET",
                                base + "?locationInternalNames=WH-00&pageSize=1001",
                                headers("Ocp-Apim-Subscription-Key", key),
                                null)
                        .status())
                .isEqualTo(400);
        StringBuilder skus = new StringBuilder("?locationInternalNames=WH-00");
        for (int i = 0; i < 101; i++) {
            skus.append("&skus=S").append(i);
        }
        assertThat(http.send("GET", base + skus, headers("Ocp-Apim-Subscription-Key", key), null)
                        .status())
                .isEqualTo(400);
        String virtual = sandbox.omniBaseUrl() + "/v1/virtualinventory/";
        assertThat(http.send(
                                "GET",
                                virtual
                                        + "?inventoryPoolGroupNames=A&inventoryPoolGroupNames=B&inventoryPoolGroupNames=C"
                                        + "&inventoryPoolGroupNames=D&inventoryPoolGroupNames=E",
                                headers("Ocp-Apim-Subscription-Key", key),
                                null)
                        .status())
                .isEqualTo(400);
        assertThat(http.send(
                                "GET",
                                virtual
                                        + "?inventoryPoolGroupNames=WEB&skus=1&skus=2&skus=3&skus=4&skus=5&skus=6&skus=7&skus=8",
                                headers("Ocp-Apim-Subscription-Key", key),
                                null)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void virtualInventoryIsTheBufferedSumOfAvailableOverMembersPlusDrift() {
        JsonNode page = getJson(
                sandbox.omniBaseUrl()
                        + "/v1/virtualinventory/?inventoryPoolGroupNames=WEB&skus=TEE-BLK-M&skus=TEE-BLK-S",
                "Ocp-Apim-Subscription-Key",
                key);
        assertThat(page.get("TotalCount").intValue()).isEqualTo(4);
        for (JsonNode item : page.get("Items")) {
            String pool = item.get("InventoryPoolName").stringValue();
            String sku = item.get("Sku").stringValue();
            List<String> members =
                    pool.equals("WEB-EAST") ? List.of("WH-00", "STORE-01") : List.of("WH-01", "STORE-02");
            int sum = members.stream()
                    .mapToInt(m -> {
                        Integer a = sandbox.omniAvailable(sku, m);
                        return a == null ? 0 : a;
                    })
                    .sum();
            int drift = pool.equals("WEB-EAST") && sku.equals("TEE-BLK-M") ? 12 : 0;
            assertThat(item.get("Quantity").intValue()).as(pool + " " + sku).isEqualTo(Math.max(0, sum - 5) + drift);
            assertThat(sandbox.omniVirtual("WEB", pool, sku))
                    .isEqualTo(item.get("Quantity").intValue());
        }
        // A physical change moves the virtual count with it.
        int before = sandbox.omniVirtual("WEB", "WEB-EAST", "TEE-BLK-S");
        sandbox.setOnHand("TEE-BLK-S", "WH-00", sandbox.omniOnHand("TEE-BLK-S", "WH-00") + 10);
        assertThat(sandbox.omniVirtual("WEB", "WEB-EAST", "TEE-BLK-S")).isEqualTo(before + 10);
    }

    @Test
    void locationsAreListedWithTheirTypes() {
        JsonNode page =
                getJson(sandbox.omniBaseUrl() + "/v1/inventorylocations/?pageSize=3", "Ocp-Apim-Subscription-Key", key);
        assertThat(page.get("TotalCount").intValue()).isEqualTo(4);
        assertThat(page.get("Items").size()).isEqualTo(3);
        assertThat(page.get("Items").get(0).get("InternalName").stringValue()).isEqualTo("STORE-01");
        assertThat(page.get("Items").get(0).get("LocationType").stringValue()).isEqualTo("Store");
    }

    private String kiboToken() {
        TestHttp.Answer a = http.send(
                "POST",
                sandbox.kiboTokenUrl(),
                headers(
                        "Authorization",
                        TestHttp.basic(
                                sandbox.credentials().kiboClientId(),
                                sandbox.credentials().kiboClientSecret()),
                        "Content-Type",
                        "application/x-www-form-urlencoded"),
                "grant_type=client_credentials");
        assertThat(a.status()).isEqualTo(200);
        return json.readTree(a.body()).get("access_token").stringValue();
    }

    @Test
    void kiboRefreshMatchesBySkuUpcOrPartNumberAndCompletesLater() {
        String token = kiboToken();
        SandboxSeed.CatalogItem byUpc = sandbox.seed().catalog().get(1);
        SandboxSeed.CatalogItem byPart = sandbox.seed().catalog().get(2);
        String body = "{\"locationName\":\"Main DC\",\"items\":[{\"sku\":\"TEE-BLK-S\",\"quantity\":11},"
                + "{\"upc\":\"" + byUpc.upc() + "\",\"quantity\":22},{\"partNumber\":\"" + byPart.partNumber()
                + "\",\"quantity\":0}]}";
        for (String base : List.of("/api", "/inv/api")) {
            TestHttp.Answer a = http.send(
                    "POST",
                    sandbox.kiboBaseUrl() + base + "/v5/inventory/refresh",
                    headers(
                            "Authorization",
                            "Bearer " + token,
                            "Content-Type",
                            "application/json",
                            "X-Request-Id",
                            "kb-1"),
                    body);
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            long jobId = json.readTree(a.body()).get("jobID").longValue();
            String queueUrl = sandbox.kiboBaseUrl() + base + "/v1/queue/" + jobId;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> getJson(queueUrl, "Authorization", "Bearer " + token)
                            .get("status")
                            .stringValue()
                            .equals("COMPLETED"));
        }
        assertThat(sandbox.kiboQuantity("Main DC", "TEE-BLK-S")).isEqualTo(11);
        assertThat(sandbox.kiboQuantity("Main DC", byUpc.sku())).isEqualTo(22);
        assertThat(sandbox.kiboQuantity("Main DC", byPart.sku())).isEqualTo(0);
        assertThat(sandbox.mutationLog()).hasSize(6).allSatisfy(m -> {
            assertThat(m.type()).isEqualTo("Refresh");
            assertThat(m.requestId()).isEqualTo("kb-1");
        });
    }

    @Test
    void aKiboRefreshWithABadItemQueuesNothingAndNamesTheIndexes() {
        String token = kiboToken();
        String body = "{\"locationName\":\"Main DC\",\"items\":[{\"sku\":\"TEE-BLK-S\",\"quantity\":1},"
                + "{\"sku\":\"NO-SUCH\",\"quantity\":1},{\"sku\":\"TEE-BLK-M\",\"quantity\":-1},{\"quantity\":3}]}";
        TestHttp.Answer a = http.send(
                "POST",
                sandbox.kiboBaseUrl() + "/inv/api/v5/inventory/refresh",
                headers("Authorization", "Bearer " + token, "Content-Type", "application/json"),
                body);
        assertThat(a.status()).isEqualTo(400);
        JsonNode errors = json.readTree(a.body()).get("errors");
        assertThat(errors.size()).isEqualTo(3);
        assertThat(List.of(
                        errors.get(0).get("index").intValue(),
                        errors.get(1).get("index").intValue(),
                        errors.get(2).get("index").intValue()))
                .containsExactly(1, 2, 3);
        assertThat(sandbox.state().kiboJobs).isEmpty();
        assertThat(sandbox.kiboQuantity("Main DC", "TEE-BLK-S")).isNull();
    }

    @Test
    void kiboTokensExpireAfterTheirTtl() {
        sandbox.reload(SandboxSeed.builder()
                .location("WH-00", "Warehouse")
                .sku("A", "1", "P1")
                .kiboLocation("Main DC", "WH-00")
                .kiboTokenTtlSeconds(1)
                .kiboJobDelayMillis(0)
                .build());
        String token = kiboToken();
        String body = "{\"locationName\":\"Main DC\",\"items\":[{\"sku\":\"A\",\"quantity\":5}]}";
        String url = sandbox.kiboBaseUrl() + "/api/v5/inventory/refresh";
        Map<String, String> h = headers("Authorization", "Bearer " + token, "Content-Type", "application/json");
        assertThat(http.send("POST", url, h, body).status()).isEqualTo(200);
        assertThat(sandbox.kiboQuantity("Main DC", "A")).isEqualTo(5);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> http.send("POST", url, h, body).status() == 401);
        sandbox.reload(SandboxSeed.load(Path.of("jobs/demo/sandbox-seed.json")));
    }

    @Test
    void adminApiReadsStateAndResetsAndReloadsTheSeed() {
        putOnHand(onHandJson("TEE-BLK-S", "WH-00", "Absolute", 1), "pu-a");
        JsonNode state = getJson(sandbox.adminUrl() + "/state");
        assertThat(state.get("onHand").size()).isEqualTo(130);
        assertThat(getJson(sandbox.adminUrl() + "/mutations").size()).isEqualTo(1);
        assertThat(getJson(sandbox.adminUrl() + "/requests").size()).isEqualTo(1);
        assertThat(getJson(sandbox.adminUrl() + "/counters")
                        .get("omni.onhand.put")
                        .get("204")
                        .intValue())
                .isEqualTo(1);

        assertThat(http.send("POST", sandbox.adminUrl() + "/reset", Map.of(), null)
                        .status())
                .isEqualTo(200);
        assertThat(sandbox.mutationLog()).isEmpty();
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isNotEqualTo(1);

        TestHttp.Answer reload =
                http.send("POST", sandbox.adminUrl() + "/seed", headers("Content-Type", "application/yaml"), """
                locations:
                  - {internalName: X-1, type: Store}
                catalog:
                  - {sku: ONLY, upc: "1", partNumber: P}
                onHand:
                  - {sku: ONLY, location: X-1, onHand: 3}
                """);
        assertThat(reload.status()).as(reload.body()).isEqualTo(200);
        assertThat(sandbox.omniOnHand("ONLY", "X-1")).isEqualTo(3);
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isNull();
        TestHttp.Answer fromPath = http.send(
                "POST",
                sandbox.adminUrl() + "/seed?path="
                        + Path.of("jobs/demo/sandbox-seed.json").toAbsolutePath(),
                Map.of(),
                null);
        assertThat(fromPath.status()).as(fromPath.body()).isEqualTo(200);
        assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isNotNull();
        assertThat(http.send(
                                "POST",
                                sandbox.adminUrl() + "/seed",
                                headers("Content-Type", "application/json"),
                                "{\"locations\":[{\"internalName\":\"A\",\"type\":\"Castle\"}]}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aGeneratedSeedAcceptsAnyGeneratedSkuWithoutACatalog() {
        try (SandboxServer big = SandboxServer.start(SandboxSeed.generated(2_000, 3, 7))) {
            assertThat(big.omniOnHand("SKU-001999", "LOC-02")).isEqualTo(7);
            TestHttp.Answer a = http.send(
                    "PUT",
                    big.omniBaseUrl() + "/v1/inventory/onhand",
                    headers(
                            "Ocp-Apim-Subscription-Key",
                            big.credentials().omniSubscriptionKey(),
                            "Content-Type",
                            "application/json"),
                    onHandJson("ANY-NEW-SKU", "LOC-00", "Absolute", 4));
            assertThat(a.status()).isEqualTo(204);
            assertThat(big.omniOnHand("ANY-NEW-SKU", "LOC-00")).isEqualTo(4);
            assertThat(http.send(
                                    "PUT",
                                    big.omniBaseUrl() + "/v1/inventory/onhand",
                                    headers(
                                            "Ocp-Apim-Subscription-Key",
                                            big.credentials().omniSubscriptionKey(),
                                            "Content-Type",
                                            "application/json"),
                                    onHandJson("ANY-NEW-SKU", "LOC-77", "Absolute", 4))
                            .status())
                    .isEqualTo(404);
            JsonNode page = getJson(
                    big.omniBaseUrl() + "/v1/inventory/onhand?locationInternalNames=LOC-01&pageSize=1000&pageNumber=2",
                    "Ocp-Apim-Subscription-Key",
                    big.credentials().omniSubscriptionKey());
            assertThat(page.get("TotalCount").intValue()).isEqualTo(2_000);
            assertThat(page.get("Items").get(999).get("Sku").stringValue()).isEqualTo("SKU-001999");
        }
    }

    @Test
    void seedsWithBrokenReferencesAreRefusedWithTheReason() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SandboxSeed.parse("""
                {"locations": [{"internalName": "WH-00"}], "catalog": [{"sku": "A"}],
                 "pools": [{"group": "WEB", "name": "P", "members": ["WH-09"]}]}""", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown member location WH-09");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SandboxSeed.parse("""
                {"locations": [], "catalgo": []}""", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("catalgo");
    }

    @Test
    void theSandboxCommandRefusesBadOptionsWithExitCode2() {
        assertThat(com.inventorysync.InventorySyncApplication.launch("sandbox", "--port", "eighty"))
                .isEqualTo(2);
        assertThat(com.inventorysync.InventorySyncApplication.launch("sandbox", "--seed", "no/such/seed.json"))
                .isEqualTo(2);
    }

    @Test
    void aKiboRefreshTakesAtMost12000ItemsAndAKnownLocation() {
        try (SandboxServer big = SandboxServer.start(SandboxSeed.builder()
                .acceptUnknownSkus(true)
                .location("WH-00", "Warehouse")
                .kiboLocation("Main DC", "WH-00")
                .kiboJobDelayMillis(0)
                .build())) {
            String token = json.readTree(http.send(
                                    "POST",
                                    big.kiboTokenUrl(),
                                    headers(
                                            "Authorization",
                                            TestHttp.basic(
                                                    big.credentials().kiboClientId(),
                                                    big.credentials().kiboClientSecret()),
                                            "Content-Type",
                                            "application/x-www-form-urlencoded"),
                                    "grant_type=client_credentials")
                            .body())
                    .get("access_token")
                    .stringValue();
            Map<String, String> h = headers("Authorization", "Bearer " + token, "Content-Type", "application/json");
            String url = big.kiboBaseUrl() + "/inv/api/v5/inventory/refresh";
            assertThat(http.send("POST", url, h, refresh("Main DC", 12_000)).status())
                    .isEqualTo(200);
            assertThat(big.kiboQuantity("Main DC", "S-11999")).isEqualTo(11999 % 50);
            TestHttp.Answer tooMany = http.send("POST", url, h, refresh("Main DC", 12_001));
            assertThat(tooMany.status()).isEqualTo(400);
            assertThat(json.readTree(tooMany.body())
                            .get("errors")
                            .get(0)
                            .get("index")
                            .intValue())
                    .isEqualTo(-1);
            TestHttp.Answer unknown = http.send("POST", url, h, refresh("Nowhere", 1));
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(json.readTree(unknown.body())
                            .get("errors")
                            .get(0)
                            .get("index")
                            .intValue())
                    .isEqualTo(-1);
            assertThat(big.mutationLog()).hasSize(12_000);
        }
    }

    private static String refresh(String location, int items) {
        StringBuilder b =
                new StringBuilder("{\"locationName\":\"").append(location).append("\",\"items\":[");
        for (int i = 0; i < items; i++) {
            b.append(i == 0 ? "" : ",")
                    .append("{\"sku\":\"S-")
                    .append(i)
                    .append("\",\"quantity\":")
                    .append(i % 50)
                    .append('}');
        }
        return b.append("]}").toString();
    }
}
