package com.inventorysync.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.ingest.shipedge.ShipEdgeClient;
import com.inventorysync.oms.newstore.NewStoreClient;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The vendor clients go through the proxy the JVM's standard properties name. The clients are given
 * a host name only the proxy knows, so an answer at all proves the request went through it.
 */
class VendorHttpProxyTest {
    private static final String HOST_ONLY_THE_PROXY_KNOWS = "vendor.through-proxy.invalid";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A request the proxy mishandles fails the test at once instead of being retried. */
    private static final HttpRetry ONE_ATTEMPT =
            new HttpRetry(new HttpRetry.Settings(1, Duration.ZERO, 1, Duration.ZERO, Duration.ZERO));

    private SandboxServer sandbox;
    private ForwardingProxy proxy;

    @BeforeEach
    void start() throws IOException {
        sandbox = SandboxServer.start(SandboxOptions.of(SandboxSeed.builder()
                .shipEdgeStock("SKU-1", "DC-EAST", 7, 0)
                .newStoreExternalOmsEnabled(true)
                .build()));
        proxy = new ForwardingProxy(sandbox.port());
        System.setProperty("http.proxyHost", "127.0.0.1");
        System.setProperty("http.proxyPort", String.valueOf(proxy.port()));
    }

    @AfterEach
    void stop() throws IOException {
        System.clearProperty("http.proxyHost");
        System.clearProperty("http.proxyPort");
        proxy.close();
        sandbox.close();
    }

    @Test
    void aShipEdgeStockPageIsReadThroughTheProxy() {
        ShipEdgeClient client = new ShipEdgeClient(
                new ShipEdgeClient.Settings(
                        throughProxy(sandbox.shipEdgeBaseUrl()),
                        sandbox.credentials().shipEdgeAccountId(),
                        sandbox.credentials().shipEdgeKey(),
                        TIMEOUT,
                        TIMEOUT),
                ONE_ATTEMPT);

        ShipEdgeClient.StockPage page = client.stockPage(1, 10);

        assertThat(page.totalRecords()).isEqualTo(1);
        assertThat(page.items().get(0).toString()).contains("SKU-1");
        assertThat(proxy.requestLines())
                .singleElement()
                .asString()
                .startsWith("GET http://" + HOST_ONLY_THE_PROXY_KNOWS + ":" + sandbox.port() + "/shipedge/");
    }

    @Test
    void newStoresTokenAndConfigurationAreFetchedThroughTheProxy() {
        NewStoreClient client = new NewStoreClient(
                new NewStoreClient.Settings(
                        throughProxy(sandbox.newStoreBaseUrl()),
                        throughProxy(sandbox.newStoreTokenUrl()),
                        sandbox.credentials().newStoreClientId(),
                        sandbox.credentials().newStoreClientSecret(),
                        TIMEOUT,
                        TIMEOUT),
                ONE_ATTEMPT);

        assertThat(client.externalOmsEnabled()).isTrue();

        String origin = "http://" + HOST_ONLY_THE_PROXY_KNOWS + ":" + sandbox.port();
        assertThat(proxy.requestLines())
                .containsExactly(
                        "POST " + origin + "/newstore/token HTTP/1.1",
                        "GET " + origin + "/newstore/v0/d/external_oms/config HTTP/1.1");
    }

    private String throughProxy(String url) {
        return url.replace("127.0.0.1", HOST_ONLY_THE_PROXY_KNOWS);
    }

    /**
     * A plain HTTP forward proxy for one upstream: it records each request line, rewrites it to the
     * origin form, and relays one exchange per connection (the answer says {@code Connection: close}).
     */
    private static final class ForwardingProxy implements AutoCloseable {
        private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^Content-Length:\\s*(\\d+)");
        private static final String CONNECTION_HEADERS = "(?im)^(Proxy-)?Connection:.*\r\n";

        private final ServerSocket server;
        private final int upstreamPort;
        private final List<String> requestLines = new CopyOnWriteArrayList<>();

        ForwardingProxy(int upstreamPort) throws IOException {
            this.upstreamPort = upstreamPort;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            daemon(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        List<String> requestLines() {
            return requestLines;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    daemon(() -> relay(client));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void relay(Socket client) {
            try (client;
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                InputStream fromClient = client.getInputStream();
                String head = readHead(fromClient);
                int lineEnd = head.indexOf("\r\n");
                String requestLine = head.substring(0, lineEnd);
                requestLines.add(requestLine);
                String[] parts = requestLine.split(" ");
                String originForm = parts[1].replaceFirst("^http://[^/]+", "");
                String headers = head.substring(lineEnd + 2).replaceAll(CONNECTION_HEADERS, "");
                OutputStream toUpstream = upstream.getOutputStream();
                toUpstream.write((parts[0] + " " + originForm + " " + parts[2] + "\r\nConnection: close\r\n" + headers)
                        .getBytes(StandardCharsets.ISO_8859_1));
                toUpstream.write(fromClient.readNBytes(contentLength(head)));
                toUpstream.flush();

                InputStream fromUpstream = upstream.getInputStream();
                String answer = readHead(fromUpstream);
                int statusEnd = answer.indexOf("\r\n");
                OutputStream toClient = client.getOutputStream();
                toClient.write((answer.substring(0, statusEnd + 2) + "Connection: close\r\n"
                                + answer.substring(statusEnd + 2).replaceAll(CONNECTION_HEADERS, ""))
                        .getBytes(StandardCharsets.ISO_8859_1));
                toClient.write(fromUpstream.readNBytes(contentLength(answer)));
                toClient.flush();
            } catch (IOException | RuntimeException e) {
                // the client or the sandbox went away: nothing more to relay
            }
        }

        private static int contentLength(String head) {
            Matcher m = CONTENT_LENGTH.matcher(head);
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        }

        /** The start line and headers, up to and including the blank line. */
        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed before the end of the head");
                }
                head.write(b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        private static void daemon(Runnable task) {
            Thread thread = new Thread(task, "forwarding-proxy");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
