package com.inventorysync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sandbox must never be the bottleneck: Omni on-hand PUTs per second over loopback at 64 concurrent keep-alive
 * connections, no injected latency. Target: 5,000 PUT/s on a 2-core machine that also runs the load generator.
 * Main figure: a lean raw-socket HTTP/1.1 client (one thread and one keep-alive connection per slot), because the
 * JDK HttpClient costs more CPU per request than the server does; the JDK HttpClient figure is printed beside it.
 * <pre>mvn -Pbench verify -Dtest=SandboxThroughputBenchmark</pre>
 */
@Tag("benchmark")
class SandboxThroughputBenchmark {
    static final int CONNECTIONS = 64;
    static final int TARGET = 5_000;
    static final int SKUS = 10_000;
    static final int LOCATIONS = 10;
    static final long MAX_REQUESTS = 5_000_000;

    @Test
    void onHandPutsPerSecondAt64Connections() throws Exception {
        SandboxSeed seed = SandboxSeed.generated(SKUS, LOCATIONS, 0);
        try (SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(seed))) {
            Result raw =
                    run("raw sockets", sandbox, Duration.ofSeconds(10), Duration.ofSeconds(20), this::rawSocketWorker);
            long appliedByRaw = sandbox.mutationLog().size();
            assertThat(appliedByRaw).isEqualTo(raw.total());
            sandbox.reset();
            Result jdk = run(
                    "JDK HttpClient", sandbox, Duration.ofSeconds(5), Duration.ofSeconds(10), this::httpClientWorker);
            assertThat(sandbox.mutationLog().size()).isEqualTo(jdk.total());

            System.out.println();
            System.out.println("Sandbox throughput: Omni on-hand PUT, " + CONNECTIONS
                    + " keep-alive connections, loopback, no latency, "
                    + Runtime.getRuntime().availableProcessors() + " cores shared with the client");
            System.out.printf(Locale.ROOT, "  %-16s %10s %10s %14s%n", "client", "PUT/s", "vs target", "errors");
            for (Result r : List.of(raw, jdk)) {
                System.out.printf(
                        Locale.ROOT,
                        "  %-16s %10.0f %9.2fx %14d%n",
                        r.client(),
                        r.perSecond(),
                        r.perSecond() / TARGET,
                        r.errors());
            }
            System.out.printf(Locale.ROOT, "  target           %10d %9.2fx%n", TARGET, 1.0);
            System.out.println();
            assertThat(raw.errors()).isZero();
        }
    }

    record Result(String client, double perSecond, long total, long errors) {}

    interface Worker {
        void run(SandboxServer sandbox, int slot, AtomicBoolean stop, AtomicLong ok, AtomicLong errors)
                throws Exception;
    }

    private Result run(String client, SandboxServer sandbox, Duration warmUp, Duration measure, Worker worker)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(CONNECTIONS);
        List<Thread> threads = new ArrayList<>();
        for (int slot = 0; slot < CONNECTIONS; slot++) {
            int s = slot;
            Thread t = new Thread(
                    () -> {
                        try {
                            worker.run(sandbox, s, stop, ok, errors);
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            System.err.println(client + " slot " + s + ": " + e);
                        } finally {
                            done.countDown();
                        }
                    },
                    "bench-" + slot);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Thread.sleep(warmUp.toMillis());
        long startCount = ok.get();
        long start = System.nanoTime();
        long deadline = start + measure.toNanos();
        while (System.nanoTime() < deadline && ok.get() < MAX_REQUESTS) {
            Thread.sleep(100);
        }
        long measured = ok.get() - startCount;
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        done.await();
        return new Result(client, measured / seconds, ok.get(), errors.get());
    }

    private static String body(int slot, long i) {
        int n = (int) ((slot * 7919L + i) % (SKUS * (long) LOCATIONS));
        return "{\"Sku\":\"SKU-" + String.format(Locale.ROOT, "%06d", n % SKUS) + "\",\"LocationInternalName\":\"LOC-"
                + String.format(Locale.ROOT, "%02d", n / SKUS) + "\",\"QuantityType\":\"Absolute\",\"Quantity\":"
                + (i % 500) + "}";
    }

    private void rawSocketWorker(SandboxServer sandbox, int slot, AtomicBoolean stop, AtomicLong ok, AtomicLong errors)
            throws IOException {
        String key = sandbox.credentials().omniSubscriptionKey();
        try (Socket socket = new Socket("127.0.0.1", sandbox.port())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            for (long i = 0; !stop.get(); i++) {
                byte[] body = body(slot, i).getBytes(StandardCharsets.US_ASCII);
                String head =
                        "PUT /omni/v1/inventory/onhand HTTP/1.1\r\nHost: 127.0.0.1\r\nOcp-Apim-Subscription-Key: " + key
                                + "\r\nContent-Type: application/json\r\nX-Request-Id: pu-" + slot + "-" + i
                                + "\r\nContent-Length: "
                                + body.length + "\r\n\r\n";
                byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
                byte[] request = new byte[headBytes.length + body.length];
                System.arraycopy(headBytes, 0, request, 0, headBytes.length);
                System.arraycopy(body, 0, request, headBytes.length, body.length);
                out.write(request);
                out.flush();
                if (readStatus(in) == 204) {
                    ok.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
            }
        }
    }

    /** Reads one response without a body (a 204) and returns its status. */
    static int readStatus(InputStream in) throws IOException {
        StringBuilder statusLine = new StringBuilder();
        int state = 0;
        boolean firstLine = true;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (firstLine && b != '\r' && b != '\n') {
                statusLine.append((char) b);
            }
            if (b == '\n') {
                firstLine = false;
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1
                    : b == '\r' ? 1 : 0;
        }
        return Integer.parseInt(statusLine.substring(9, 12));
    }

    private void httpClientWorker(SandboxServer sandbox, int slot, AtomicBoolean stop, AtomicLong ok, AtomicLong errors)
            throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(sandbox.omniBaseUrl() + "/v1/inventory/onhand");
        String key = sandbox.credentials().omniSubscriptionKey();
        for (long i = 0; !stop.get(); i++) {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("Ocp-Apim-Subscription-Key", key)
                    .header("Content-Type", "application/json")
                    .header("X-Request-Id", "pu-" + slot + "-" + i)
                    .PUT(HttpRequest.BodyPublishers.ofString(body(slot, i)))
                    .build();
            if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 204) {
                ok.incrementAndGet();
            } else {
                errors.incrementAndGet();
            }
        }
    }
}
