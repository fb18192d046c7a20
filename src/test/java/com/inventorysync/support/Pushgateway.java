package com.inventorysync.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Prometheus Pushgateway (Debian's {@code prometheus-pushgateway}) started on a free port
 * for a test, and what it holds, read from its {@code /metrics} as Prometheus would scrape it.
 */
public final class Pushgateway implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/prometheus-pushgateway");

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Process process;
    private final int port;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Pushgateway(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts one; fails (never skips) when the binary is missing. */
    public static Pushgateway start(Path logDir) {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(
                    BINARY + " is missing: .ci/run installs it (apt-get install -y prometheus-pushgateway)");
        }
        int port = freePort();
        try {
            Path log = Files.createTempFile(logDir, "pushgateway-", ".log");
            // Debian's build persists to /var/lib/prometheus by default: a test's gateway starts empty and keeps
            // nothing.
            Process process = new ProcessBuilder(
                            BINARY.toString(), "--web.listen-address=127.0.0.1:" + port, "--persistence.file=")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Pushgateway gateway = new Pushgateway(process, port);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("the Pushgateway ended: " + Files.readString(log));
                        }
                        return gateway.get("/-/ready").statusCode() == 200;
                    });
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code host:port}, as {@code management.prometheus.metrics.export.pushgateway.address} takes it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The exposition text of everything pushed. */
    public String metricsText() {
        HttpResponse<String> response = get("/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + response.statusCode());
        }
        return response.body();
    }

    /** Every sample of the metric {@code name} whose labels include {@code labels}. */
    public List<Sample> samples(String name, Map<String, String> labels) {
        List<Sample> result = new ArrayList<>();
        for (String line : metricsText().split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    found.put(l.group(1), l.group(2));
                }
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                result.add(new Sample(name, found, Double.parseDouble(m.group(3))));
            }
        }
        return result;
    }

    /** The one sample of {@code name} with {@code labels}, if the gateway holds it. */
    public Optional<Double> value(String name, Map<String, String> labels) {
        List<Sample> found = samples(name, labels);
        if (found.size() > 1) {
            throw new AssertionError("more than one " + name + labels + ": " + found);
        }
        return found.stream().findFirst().map(Sample::value);
    }

    public record Sample(String name, Map<String, String> labels, double value) {}

    private HttpResponse<String> get(String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://" + address() + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
