package com.inventorysync.sandbox;

import static com.inventorysync.sandbox.TestHttp.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox is safe to leave running: it listens on loopback unless told otherwise, its admin API answers loopback
 * callers only (or, with a token, callers that carry it), and a seed path reads nothing outside the start seed's folder.
 */
class SandboxAdminSafetyTest {
    static final Path DEMO_SEED = Path.of("jobs/demo/sandbox-seed.json");
    static final String FILE_CONTENT = "TOP-SECRET-FIRST-TOKEN and the rest of a private file";
    final TestHttp http = new TestHttp();

    @TempDir
    Path dir;

    @Test
    void listensOnLoopbackWhenNoHostIsGiven() throws IOException {
        SandboxOptions options = SandboxCommand.parse(new String[] {"--port", "0", "--seed", DEMO_SEED.toString()});
        assertThat(options.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(options.seedFile()).isEqualTo(DEMO_SEED);
        try (SandboxServer sandbox = SandboxServer.start(options)) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), sandbox.port())) {
                assertThat(s.isConnected()).isTrue();
            }
            InetAddress external = nonLoopbackAddress().orElse(null);
            // Only a machine with nothing but loopback cannot show the other half; the build and CI
            // machines have an external interface, and there this check runs.
            assumeTrue(external != null, "this machine has no non-loopback address to try");
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(external, sandbox.port()), 2000))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void withoutTokenOnlyLoopbackCallersMayUseTheAdminApi() throws Exception {
        AdminAccess open = new AdminAccess(null);
        assertThat(open.refusal(InetAddress.getByName("127.0.0.1"), null)).isZero();
        assertThat(open.refusal(InetAddress.getByName("127.0.0.2"), null)).isZero();
        assertThat(open.refusal(InetAddress.getByName("::1"), null)).isZero();
        assertThat(open.refusal(InetAddress.getByName("10.0.0.5"), null)).isEqualTo(403);
        assertThat(open.refusal(InetAddress.getByName("192.0.2.7"), "Bearer anything"))
                .isEqualTo(403);
        assertThat(open.refusal(InetAddress.getByName("fe80::1"), null)).isEqualTo(403);
        assertThat(open.refusal(null, null)).isEqualTo(403);
    }

    @Test
    void withTokenEveryCallerMustCarryIt() throws Exception {
        AdminAccess guarded = new AdminAccess("s3cret-admin");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress remote = InetAddress.getByName("10.0.0.5");
        assertThat(guarded.refusal(loopback, null)).isEqualTo(401);
        assertThat(guarded.refusal(loopback, "Bearer wrong")).isEqualTo(401);
        assertThat(guarded.refusal(loopback, "Bearer s3cret-admi")).isEqualTo(401);
        assertThat(guarded.refusal(loopback, "Basic s3cret-admin")).isEqualTo(401);
        assertThat(guarded.refusal(loopback, "s3cret-admin")).isEqualTo(401);
        assertThat(guarded.refusal(loopback, "Bearer s3cret-admin")).isZero();
        assertThat(guarded.refusal(remote, "bearer s3cret-admin")).isZero();
        assertThat(guarded.toString()).doesNotContain("s3cret-admin");
    }

    @Test
    void adminCallsFromANonLoopbackAddressAreRefusedWhileVendorCallsAreServed() {
        InetAddress external = nonLoopbackAddress().orElse(null);
        // As above: skipped only on a machine with no address but loopback to call from.
        assumeTrue(external != null, "this machine has no non-loopback address to call from");
        try (SandboxServer sandbox = SandboxServer.start(
                SandboxOptions.of(SandboxSeed.load(DEMO_SEED)).withBindAddress("0.0.0.0"))) {
            String base = "http://" + external.getHostAddress() + ":" + sandbox.port();
            TestHttp.Answer admin = http.send("POST", base + "/admin/reset", Map.of(), null);
            assertThat(admin.status()).as(admin.body()).isEqualTo(403);
            TestHttp.Answer vendor = http.send(
                    "GET",
                    base + "/omni/v1/inventorylocations",
                    headers("Ocp-Apim-Subscription-Key", sandbox.credentials().omniSubscriptionKey()),
                    null);
            assertThat(vendor.status()).as(vendor.body()).isEqualTo(200);
            assertThat(http.send("GET", sandbox.adminUrl() + "/counters", Map.of(), null)
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void withTokenTheAdminApiAnswersOnlyCallsThatCarryIt() {
        InetAddress external = nonLoopbackAddress().orElse(null);
        SandboxOptions options = SandboxOptions.of(SandboxSeed.load(DEMO_SEED))
                .withAdminToken("s3cret-admin")
                .withBindAddress(external != null ? "0.0.0.0" : null);
        assertThat(options.toString()).doesNotContain("s3cret-admin");
        try (SandboxServer sandbox = SandboxServer.start(options)) {
            TestHttp.Answer none = http.send("GET", sandbox.adminUrl() + "/state", Map.of(), null);
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(http.send("POST", sandbox.adminUrl() + "/reset", headers("Authorization", "Bearer nope"), null)
                            .status())
                    .isEqualTo(401);
            assertThat(http.send(
                                    "GET",
                                    sandbox.adminUrl() + "/state",
                                    headers("Authorization", "Bearer s3cret-admin"),
                                    null)
                            .status())
                    .isEqualTo(200);
            if (external != null) {
                String remoteAdmin = "http://" + external.getHostAddress() + ":" + sandbox.port() + "/admin";
                assertThat(http.send("GET", remoteAdmin + "/counters", Map.of(), null)
                                .status())
                        .isEqualTo(401);
                assertThat(http.send(
                                        "GET",
                                        remoteAdmin + "/counters",
                                        headers("Authorization", "Bearer s3cret-admin"),
                                        null)
                                .status())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void seedPathsReadOnlyTheStartSeedsFolderAndNeverEchoAFile() throws IOException {
        Path seeds = Files.createDirectories(dir.resolve("seeds"));
        Path seed = Files.copy(DEMO_SEED, seeds.resolve("seed.json"));
        Files.writeString(seeds.resolve("small.yaml"), """
                locations:
                  - {internalName: X-1, type: Store}
                catalog:
                  - {sku: ONLY}
                onHand:
                  - {sku: ONLY, location: X-1, onHand: 3}
                """);
        Path privateFile = Files.writeString(dir.resolve("private.txt"), FILE_CONTENT);
        Files.writeString(seeds.resolve("broken.json"), FILE_CONTENT);
        Files.createSymbolicLink(seeds.resolve("link.json"), privateFile);
        Files.createSymbolicLink(seeds.resolve("up"), dir);
        try (SandboxServer sandbox =
                SandboxServer.start(SandboxOptions.of(SandboxSeed.load(seed)).withSeedFile(seed))) {
            assertThat(postSeedPath(sandbox, seeds.resolve("small.yaml").toString())
                            .status())
                    .isEqualTo(200);
            assertThat(sandbox.omniOnHand("ONLY", "X-1")).isEqualTo(3);
            assertThat(postSeedPath(sandbox, seed.toString()).status()).isEqualTo(200);
            assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00")).isNotNull();

            for (String escape : new String[] {
                privateFile.toString(),
                seeds + "/../private.txt",
                seeds.resolve("link.json").toString(),
                seeds + "/up/private.txt",
                "/etc/passwd",
                "/proc/self/environ",
                dir.resolve("missing.json").toString(),
                seeds.toString()
            }) {
                TestHttp.Answer refused = postSeedPath(sandbox, escape);
                assertThat(refused.status()).as(escape + ": " + refused.body()).isEqualTo(403);
                assertThat(refused.body()).doesNotContain("TOP-SECRET").doesNotContain("root:");
            }
            TestHttp.Answer broken =
                    postSeedPath(sandbox, seeds.resolve("broken.json").toString());
            assertThat(broken.status()).isEqualTo(400);
            assertThat(broken.body()).doesNotContain("TOP-SECRET");
            assertThat(postSeedPath(sandbox, seeds.resolve("absent.json").toString())
                            .status())
                    .isEqualTo(404);
            assertThat(sandbox.omniOnHand("TEE-BLK-S", "WH-00"))
                    .as("refusals leave the loaded seed")
                    .isNotNull();
        }
    }

    @Test
    void aSandboxStartedWithoutASeedFileReadsNoSeedPath() {
        try (SandboxServer sandbox = SandboxServer.start(SandboxSeed.load(DEMO_SEED))) {
            TestHttp.Answer refused =
                    postSeedPath(sandbox, DEMO_SEED.toAbsolutePath().toString());
            assertThat(refused.status()).isEqualTo(403);
            assertThat(http.send(
                                    "POST",
                                    sandbox.adminUrl() + "/seed",
                                    headers("Content-Type", "application/json"),
                                    "{\"locations\":[{\"internalName\":\"A\",\"type\":\"Store\"}]}")
                            .status())
                    .isEqualTo(200);
        }
    }

    private TestHttp.Answer postSeedPath(SandboxServer sandbox, String path) {
        return http.send(
                "POST",
                sandbox.adminUrl() + "/seed?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8),
                Map.of(),
                null);
    }

    /** An IPv4 address of this machine that is not loopback: calls to it come from it, not from loopback. */
    static Optional<InetAddress> nonLoopbackAddress() {
        try {
            return NetworkInterface.networkInterfaces()
                    .filter(n -> {
                        try {
                            return n.isUp() && !n.isLoopback();
                        } catch (SocketException e) {
                            return false;
                        }
                    })
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }
}
