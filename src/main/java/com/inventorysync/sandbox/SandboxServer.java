package com.inventorysync.sandbox;

import com.inventorysync.sandbox.HttpCall.Reply;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local server that speaks the four vendor contracts in {@code contracts/} (Omni under {@code /omni}, Kibo under
 * {@code /kibo}, ShipEdge under {@code /shipedge/apirest/v4/oms}, NewStore under {@code /newstore}) plus an admin
 * API under {@code /admin}, with faults on demand. Start it with {@link #start(SandboxOptions)}; close it when done.
 */
public final class SandboxServer implements AutoCloseable {

    static {
        // The JDK server leaves Nagle's algorithm on by default, which stalls small keep-alive responses.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // Past 200 idle keep-alive connections the JDK server closes each one that goes idle at once, so a
        // client with more than 200 in its pool writes into connections closed under it as its load falls.
        // An OMS gateway keeps them for its idle timeout.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "1024");
        }
    }

    static final String SHIPEDGE_PREFIX = "/shipedge/apirest/v4/oms";

    private final SandboxOptions options;
    private final HttpServer http;
    private final ExecutorService workers;
    private final ScheduledExecutorService kiboJobRunner;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final Faults faults;
    private volatile SandboxSeed seed;
    private volatile SandboxState state;
    private final OmniApi omni;
    private final KiboApi kibo;
    private final ShipEdgeApi shipEdge;
    private final NewStoreApi newStore;
    private final AdminApi admin;

    private SandboxServer(SandboxOptions options) throws IOException {
        this.options = options;
        this.seed = options.seed();
        this.state = new SandboxState(seed, options.logLimit());
        this.faults = new Faults(options.randomSeed(), () -> state.expireTokens());
        applyStartFaults();
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                options.maxThreads(), options.maxThreads(), 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "sandbox-http-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.workers = pool;
        ScheduledThreadPoolExecutor runner = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sandbox-kibo-jobs");
            t.setDaemon(true);
            return t;
        });
        this.kiboJobRunner = runner;
        this.omni = new OmniApi(() -> state, json);
        this.kibo = new KiboApi(() -> state, json, runner);
        this.shipEdge = new ShipEdgeApi(() -> state, json);
        this.newStore = new NewStoreApi(() -> state, json);
        this.admin =
                new AdminApi(this, json, new AdminAccess(options.adminToken()), new SeedFolder(options.seedFile()));
        this.http = HttpServer.create(new InetSocketAddress(options.bindAddress(), options.port()), 1024);
        http.createContext("/", this::dispatch);
        http.setExecutor(workers);
        http.start();
    }

    /** Starts a sandbox; it listens until {@link #close()}. */
    public static SandboxServer start(SandboxOptions options) {
        try {
            return new SandboxServer(options);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "sandbox could not listen on " + options.bindAddress() + ":" + options.port(), e);
        }
    }

    /** Starts a sandbox on a random loopback port, without faults. */
    public static SandboxServer start(SandboxSeed seed) {
        return start(SandboxOptions.of(seed));
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public String omniBaseUrl() {
        return baseUrl() + "/omni";
    }

    public String kiboBaseUrl() {
        return baseUrl() + "/kibo";
    }

    public String kiboTokenUrl() {
        return baseUrl() + "/kibo/oauth2/token";
    }

    public String shipEdgeBaseUrl() {
        return baseUrl() + SHIPEDGE_PREFIX;
    }

    public String newStoreBaseUrl() {
        return baseUrl() + "/newstore";
    }

    public String newStoreTokenUrl() {
        return baseUrl() + "/newstore/token";
    }

    public String adminUrl() {
        return baseUrl() + "/admin";
    }

    public SandboxSeed seed() {
        return seed;
    }

    public SandboxSeed.Credentials credentials() {
        return seed.credentials();
    }

    /** Omni on-hand of one SKU at one location; null when the position does not exist. */
    public Integer omniOnHand(String sku, String location) {
        return state.onHand(sku, location);
    }

    /** Omni available = max(0, onHand - reserved - allocated); null when the position does not exist. */
    public Integer omniAvailable(String sku, String location) {
        return state.available(sku, location);
    }

    /** The virtual quantity Omni reports for a pool and SKU (computed plus drift); null for an unknown pool. */
    public Integer omniVirtual(String group, String pool, String sku) {
        var pools = state.pools.get(group);
        SandboxSeed.Pool p = pools == null ? null : pools.get(pool);
        return p == null ? null : state.virtualQuantity(p, sku);
    }

    /**
     * Sets an Omni on-hand count out of band (a store adjusting stock, a rogue process), as happens between syncs;
     * logged as a mutation of vendor {@code sandbox}, endpoint {@code sandbox.onhand.set}.
     */
    public void setOnHand(String sku, String location, int onHand) {
        if (!state.locations.containsKey(location)) {
            throw new IllegalArgumentException("unknown location " + location);
        }
        state.applyOnHand("sandbox", "sandbox.onhand.set", sku, location, false, onHand, null);
    }

    /** Sets one ShipEdge stock item's on-hand (adding it when new), as the warehouse's stock changes between pulls. */
    public void setShipEdgeStock(String sku, String distributionCenter, int onHand) {
        state.setShipEdgeStock(sku, distributionCenter, onHand);
    }

    /** The next {@code jobs} Kibo refresh jobs end FAILED, applying nothing. */
    public void failNextKiboJobs(int jobs) {
        for (int i = 0; i < jobs; i++) {
            state.kiboJobEndings.add(-1);
        }
    }

    /** The next Kibo refresh job ends COMPLETED with its last {@code items} items not applied and counted as errors. */
    public void nextKiboJobWithErrors(int items) {
        state.kiboJobEndings.add(items);
    }

    /** The Kibo count of one SKU at one Kibo location, as set by completed refresh jobs; null when never set. */
    public Integer kiboQuantity(String locationName, String sku) {
        return state.kiboQuantity(locationName, sku);
    }

    /** QUEUED, PROCESSING or COMPLETED; null for an unknown job. */
    public String kiboJobStatus(long jobId) {
        SandboxState.KiboJob job = state.kiboJobs.get(jobId);
        return job == null ? null : job.status;
    }

    public boolean newStoreExternalOmsEnabled() {
        return state.newStoreExternalOms;
    }

    /** Every applied mutation since the last reset, in the order applied. */
    public List<Mutation> mutationLog() {
        return state.mutations.snapshot().stream()
                .sorted(Comparator.comparingLong(Mutation::sequence))
                .toList();
    }

    /** Every vendor request since the last reset (admin requests are not logged), in the order answered. */
    public List<RequestRecord> requestLog() {
        return state.requests.snapshot().stream()
                .sorted(Comparator.comparingLong(RequestRecord::sequence))
                .toList();
    }

    /** Every Kibo and NewStore access token issued since the last reset, expired ones included. */
    public Set<String> issuedTokens() {
        return Set.copyOf(state.issuedTokens);
    }

    /** Requests by endpoint id and status (0 = connection closed without a response). */
    public Map<String, Map<Integer, Long>> counters() {
        return state.counters();
    }

    /** The fault settings in force; changes apply to the next request. */
    public Faults faults() {
        return faults;
    }

    /**
     * Back to how it started: the current seed's state, empty logs and counters, no tokens or jobs, the start
     * options' faults and random seed.
     */
    public void reset() {
        state = new SandboxState(seed, options.logLimit());
        applyStartFaults();
    }

    /** Replaces the seed and resets. */
    public void reload(SandboxSeed newSeed) {
        this.seed = newSeed.validated();
        reset();
    }

    SandboxState state() {
        return state;
    }

    private void applyStartFaults() {
        faults.clear();
        options.faults().forEach(faults::add);
        options.rateLimits().forEach(faults::rateLimit);
        faults.randomSeed(options.randomSeed());
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
        kiboJobRunner.shutdownNow();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            try {
                send(exchange, admin.handle(new HttpCall(exchange, path, path.substring("/admin".length()))));
            } catch (RuntimeException e) {
                send(
                        exchange,
                        Reply.json(500, json.writeValueAsBytes(Map.of("error", String.valueOf(e.getMessage())))));
            } finally {
                exchange.close();
            }
            return;
        }
        String api;
        String subPath;
        String endpoint;
        if (path.startsWith("/omni/")) {
            api = "omni";
            subPath = path.substring(5);
            endpoint = OmniApi.endpoint(method, subPath);
        } else if (path.startsWith("/kibo/")) {
            api = "kibo";
            subPath = path.substring(5);
            endpoint = KiboApi.endpoint(method, subPath);
        } else if (path.startsWith(SHIPEDGE_PREFIX + "/")) {
            api = "shipedge";
            subPath = path.substring(SHIPEDGE_PREFIX.length());
            endpoint = ShipEdgeApi.endpoint(method, subPath);
        } else if (path.startsWith("/newstore/")) {
            api = "newstore";
            subPath = path.substring(9);
            endpoint = NewStoreApi.endpoint(method, subPath);
        } else {
            api = "none";
            subPath = path;
            endpoint = null;
        }
        SandboxState s = state;
        HttpCall call = new HttpCall(exchange, path, subPath);
        try {
            if (endpoint == null) {
                Reply reply = Reply.json(
                        404, json.writeValueAsBytes(Map.of("message", "No such endpoint: " + method + " " + path)));
                log(s, call, "unknown", reply.status());
                send(exchange, reply);
                return;
            }
            Reply refusal = faultsBefore(api, endpoint, path);
            if (refusal != null) {
                call.body();
                log(s, call, endpoint, refusal.status());
                send(exchange, refusal);
                return;
            }
            FaultRule.Answer answer = decideAnswer(endpoint, path);
            if (answer != null && !answer.applied()) {
                Reply answered = answerReply(answer);
                call.body();
                log(s, call, endpoint, answered.status());
                send(exchange, answered);
                return;
            }
            boolean drop = answer == null && decideDrop(endpoint, path);
            Reply reply = switch (api) {
                case "omni" -> omni.handle(endpoint, call);
                case "kibo" -> kibo.handle(endpoint, call);
                case "shipedge" -> shipEdge.handle(endpoint, call);
                default -> newStore.handle(endpoint, call);
            };
            if (answer != null && reply.success()) {
                reply = answerReply(answer);
            }
            if (drop && reply.success()) {
                // Applied, but the client never learns it: the connection closes before any response byte.
                log(s, call, endpoint, 0);
                return;
            }
            // Logged before the answer leaves, so whoever reads the logs after the answer sees this request.
            log(s, call, endpoint, reply.status());
            send(exchange, reply);
        } catch (RuntimeException e) {
            System.err.println("sandbox: " + method + " " + path + " failed: " + e);
            Reply failure = Reply.json(500, json.writeValueAsBytes(Map.of("message", "internal error")));
            log(s, call, endpoint == null ? "unknown" : endpoint, failure.status());
            send(exchange, failure);
        } finally {
            exchange.close();
        }
    }

    /** Rate limit, latency, then injected 429/503: what the gateway does before the request reaches the OMS (answers follow). */
    private Reply faultsBefore(String api, String endpoint, String path) {
        if (faults.rateLimited(api)) {
            return throttled(api, 1);
        }
        List<FaultRule> rules = faults.rules();
        if (rules.isEmpty()) {
            return null;
        }
        for (FaultRule rule : rules) {
            if (rule.matches(endpoint, path) && (rule.latencyMillis() > 0 || rule.jitterMillis() > 0)) {
                long delay =
                        rule.latencyMillis() + (rule.jitterMillis() > 0 ? faults.nextInt(rule.jitterMillis() + 1) : 0);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (FaultRule rule : rules) {
            if (rule.error429() > 0 && rule.matches(endpoint, path) && faults.nextDouble() < rule.error429()) {
                return throttled(api, rule.retryAfterSeconds());
            }
            if (rule.error503() > 0 && rule.matches(endpoint, path) && faults.nextDouble() < rule.error503()) {
                return unavailable(api);
            }
        }
        return null;
    }

    /** The first answer rule in scope whose draw hits; one draw per answer rule in scope, in rule order. */
    private FaultRule.Answer decideAnswer(String endpoint, String path) {
        for (FaultRule rule : faults.rules()) {
            FaultRule.Answer answer = rule.answer();
            if (answer != null
                    && answer.fraction() > 0
                    && rule.matches(endpoint, path)
                    && faults.nextDouble() < answer.fraction()) {
                return answer;
            }
        }
        return null;
    }

    private static Reply answerReply(FaultRule.Answer answer) {
        byte[] body = answer.body().isEmpty() ? null : answer.body().getBytes(StandardCharsets.UTF_8);
        return new Reply(answer.status(), answer.contentType(), body, Map.of());
    }

    private boolean decideDrop(String endpoint, String path) {
        for (FaultRule rule : faults.rules()) {
            if (rule.dropAfterApply() > 0
                    && rule.matches(endpoint, path)
                    && faults.nextDouble() < rule.dropAfterApply()) {
                return true;
            }
        }
        return false;
    }

    private Reply throttled(String api, int retryAfterSeconds) {
        Reply reply = switch (api) {
            case "omni" ->
                omni.gatewayError(429, "Rate limit is exceeded. Try again in " + retryAfterSeconds + " seconds.");
            case "shipedge" -> shipEdge.error(429, "Too many requests");
            default -> Reply.empty(429);
        };
        return reply.withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }

    private Reply unavailable(String api) {
        return api.equals("shipedge") ? shipEdge.error(503, "Service unavailable") : Reply.empty(503);
    }

    private static int send(HttpExchange exchange, Reply reply) throws IOException {
        var headers = exchange.getResponseHeaders();
        if (reply.contentType() != null && reply.body() != null) {
            headers.set("Content-Type", reply.contentType());
        }
        reply.headers().forEach(headers::set);
        if (reply.body() == null || reply.status() == 204) {
            exchange.sendResponseHeaders(reply.status(), -1);
        } else {
            exchange.sendResponseHeaders(reply.status(), reply.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
        return reply.status();
    }

    private static void log(SandboxState s, HttpCall call, String endpoint, int status) {
        s.requests.add(new RequestRecord(
                s.requests.nextSequence(),
                Instant.now(),
                call.method,
                call.path,
                call.rawQuery,
                endpoint,
                status,
                call.requestId));
        s.count(endpoint, status);
    }
}
