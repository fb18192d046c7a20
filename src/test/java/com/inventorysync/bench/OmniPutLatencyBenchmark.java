package com.inventorysync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.http.HttpRetry;
import com.inventorysync.oms.omni.OmniClient;
import com.inventorysync.oms.omni.OnHandUpdate;
import com.inventorysync.oms.omni.PutOutcome;
import com.inventorysync.oms.omni.QuantityType;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP client adds to each on-hand PUT: 16 senders, the sandbox answering after 10 ms,
 * measured side by side in one run for the product's Omni client (Apache HttpClient, blocking,
 * pooled keep-alive connections), the JDK {@code HttpClient} it replaced, and a bare socket
 * writing the request by hand (the floor). Each client gets a warm-up round, then the rounds
 * alternate. Run: {@code mvn -Pbench verify -Dtest=OmniPutLatencyBenchmark}.
 */
@Tag("benchmark")
class OmniPutLatencyBenchmark {
    static final int SENDERS = 16;
    static final int LATENCY_MS = 10;
    static final int PUTS_PER_ROUND = 6_000;
    static final int ROUNDS = 3;
    static final SandboxSeed.Generate GENERATED = new SandboxSeed.Generate(10_000, 10, null, null, null);

    record Connection(Socket socket, InputStream in) {}

    interface Put {
        void send(int n) throws Exception;
    }

    @Test
    void clientOverheadPerPut() throws Exception {
        SandboxSeed seed = SandboxSeed.builder()
                .acceptUnknownSkus(true)
                .generate(GENERATED)
                .build();
        try (SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(seed).withLogLimit(1000));
                OmniClient omni = new OmniClient(
                        new OmniClient.Settings(
                                sandbox.omniBaseUrl(), sandbox.credentials().omniSubscriptionKey(), null, null),
                        new HttpRetry(HttpRetry.Settings.defaults()))) {
            sandbox.faults().latency("omni.onhand.put", LATENCY_MS, 0);
            HttpClient jdk =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<Socket> opened = java.util.Collections.synchronizedList(new ArrayList<>());
            ThreadLocal<Connection> connections = new ThreadLocal<>();
            Map<String, Put> clients = new LinkedHashMap<>();
            clients.put("OmniClient (Apache HttpClient)", n -> {
                PutOutcome r = omni.putOnHand(update(n), "pu-" + n);
                assertThat(r.kind()).isEqualTo(PutOutcome.Kind.APPLIED);
            });
            clients.put("JDK HttpClient", n -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.omniBaseUrl() + "/v1/inventory/onhand"))
                        .header(
                                "Ocp-Apim-Subscription-Key",
                                sandbox.credentials().omniSubscriptionKey())
                        .header("Content-Type", "application/json")
                        .header("X-Request-Id", "pu-" + n)
                        .PUT(HttpRequest.BodyPublishers.ofString(json(n)))
                        .build();
                assertThat(jdk.send(request, HttpResponse.BodyHandlers.discarding())
                                .statusCode())
                        .isEqualTo(204);
            });
            clients.put("bare socket (floor)", n -> {
                Connection connection = connections.get();
                if (connection == null) {
                    Socket socket = new Socket("127.0.0.1", sandbox.port());
                    socket.setTcpNoDelay(true);
                    opened.add(socket);
                    connection = new Connection(socket, new BufferedInputStream(socket.getInputStream(), 8192));
                    connections.set(connection);
                }
                assertThat(rawPut(connection, sandbox.credentials().omniSubscriptionKey(), n))
                        .isEqualTo(204);
            });

            Map<String, List<double[]>> results = new LinkedHashMap<>();
            clients.forEach((name, put) -> round(put, 0));
            for (int r = 1; r <= ROUNDS; r++) {
                for (var client : clients.entrySet()) {
                    results.computeIfAbsent(client.getKey(), k -> new ArrayList<>())
                            .add(round(client.getValue(), r));
                }
            }
            double ideal = SENDERS * 1000.0 / LATENCY_MS;
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "== OmniPutLatencyBenchmark: %d senders, sandbox answers after %d ms, %d rounds of %,d PUTs each%n",
                    SENDERS,
                    LATENCY_MS,
                    ROUNDS,
                    PUTS_PER_ROUND);
            System.out.printf(Locale.ROOT, "  %-32s %10s %12s %14s%n", "client", "PUT/s", "mean PUT ms", "of 16/10ms");
            results.forEach((name, rounds) -> {
                double rate = rounds.stream().mapToDouble(x -> x[0]).average().orElseThrow();
                double mean = rounds.stream().mapToDouble(x -> x[1]).average().orElseThrow();
                System.out.printf(
                        Locale.ROOT, "  %-32s %,10.0f %12.2f %13.0f%%%n", name, rate, mean, 100 * rate / ideal);
            });
            System.out.println();
            for (Socket s : opened) {
                s.close();
            }
        }
    }

    /** One round: PUTs per second and mean PUT time in ms. */
    private static double[] round(Put put, int round) {
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            AtomicLong nanos = new AtomicLong();
            List<Future<?>> sent = new ArrayList<>(PUTS_PER_ROUND);
            long start = System.nanoTime();
            for (int i = 0; i < PUTS_PER_ROUND; i++) {
                int n = round * PUTS_PER_ROUND + i;
                sent.add(senders.submit(() -> {
                    long t = System.nanoTime();
                    put.send(n);
                    nanos.addAndGet(System.nanoTime() - t);
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new double[] {PUTS_PER_ROUND / seconds, nanos.get() / 1e6 / PUTS_PER_ROUND};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            senders.shutdownNow();
        }
    }

    private static OnHandUpdate update(int n) {
        return new OnHandUpdate(
                GENERATED.sku(n % 10_000), GENERATED.location(n / 10_000 % 10), QuantityType.Absolute, n % 500);
    }

    private static String json(int n) {
        OnHandUpdate u = update(n);
        return "{\"Sku\":\"" + u.sku() + "\",\"LocationInternalName\":\"" + u.locationInternalName()
                + "\",\"QuantityType\":\"Absolute\",\"Quantity\":" + u.quantity() + "}";
    }

    /** Writes the request by hand and reads the status of a body-less answer. */
    private static int rawPut(Connection connection, String key, int n) {
        try {
            String body = json(n);
            String request =
                    "PUT /omni/v1/inventory/onhand HTTP/1.1\r\nHost: 127.0.0.1\r\nOcp-Apim-Subscription-Key: " + key
                            + "\r\nContent-Type: application/json\r\nX-Request-Id: pu-" + n + "\r\nContent-Length: "
                            + body.length()
                            + "\r\n\r\n" + body;
            var out = connection.socket().getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return SandboxThroughputBenchmark.readStatus(connection.in());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
