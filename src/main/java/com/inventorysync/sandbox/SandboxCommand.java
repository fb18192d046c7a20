package com.inventorysync.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code sandbox}: runs the local vendor server in the foreground until SIGTERM or Ctrl-C. It listens on 127.0.0.1
 * unless {@code --host} says otherwise; its admin API answers loopback callers only unless {@code --admin-token} is
 * given, and then only calls that carry that token.
 * <pre>
 * sandbox [--port 8089] [--seed FILE] [--host 127.0.0.1] [--admin-token T] [--fault SCOPE:key=value,...]...
 *         [--rate-limit API=N]... [--random-seed N] [--threads N] [--log-limit N]
 * </pre>
 */
public final class SandboxCommand {
    /** Exit codes, the same as the other commands': 0 stopped normally, 2 bad options or a server that cannot start. */
    private static final int STOPPED = 0;

    private static final int BAD_OPTIONS = 2;

    public static final String USAGE = """
            usage: sandbox [--port 8089] [--seed jobs/demo/sandbox-seed.json] [--host 127.0.0.1] [--admin-token T]
                           [--fault SCOPE:latency=MS[+JITTER],503=F,429=F,retry-after=S,drop=F]...
                           [--fault SCOPE:status=N[,answer=F][,body=html|apim|empty][,content-type=T][,applied=true]]...
                           [--rate-limit API=PER_SECOND]... [--random-seed N] [--threads N] [--log-limit N]
              SCOPE: * | mutations | omni.onhand.put | kibo.refresh | omni.* | /omni/v1/inventory/* ...
              API:   omni | kibo | shipedge | newstore""";

    private SandboxCommand() {}

    public static int run(String[] args) {
        SandboxOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sandbox: " + e.getMessage());
            System.err.println(USAGE);
            return BAD_OPTIONS;
        }
        SandboxServer server;
        try {
            server = SandboxServer.start(options);
        } catch (RuntimeException e) {
            System.err.println("sandbox: " + e.getMessage());
            return BAD_OPTIONS;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            System.out.println("sandbox stopped");
                            stopped.countDown();
                        },
                        "sandbox-shutdown"));
        printBanner(server, options);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return STOPPED;
    }

    static SandboxOptions parse(String[] args) {
        int port = 8089;
        String seedFile = null;
        String host = null;
        String adminToken = null;
        List<FaultRule> faults = new ArrayList<>();
        List<String[]> rateLimits = new ArrayList<>();
        long randomSeed = 42;
        int threads = 0;
        int logLimit = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!List.of(
                            "--port",
                            "--seed",
                            "--host",
                            "--admin-token",
                            "--fault",
                            "--rate-limit",
                            "--random-seed",
                            "--threads",
                            "--log-limit")
                    .contains(name)) {
                throw new IllegalArgumentException("unknown option " + arg);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            try {
                switch (name) {
                    case "--port" -> port = Integer.parseInt(value);
                    case "--seed" -> seedFile = value;
                    case "--host" -> host = value;
                    case "--admin-token" -> adminToken = value;
                    case "--fault" -> faults.add(FaultRule.parse(value));
                    case "--rate-limit" -> {
                        String[] kv = value.split("=", 2);
                        if (kv.length != 2) {
                            throw new IllegalArgumentException("--rate-limit wants API=PER_SECOND, got " + value);
                        }
                        Integer.parseInt(kv[1].trim());
                        rateLimits.add(kv);
                    }
                    case "--random-seed" -> randomSeed = Long.parseLong(value);
                    case "--threads" -> threads = Integer.parseInt(value);
                    default -> logLimit = Integer.parseInt(value);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": '" + value + "' is not a number");
            }
        }
        if (adminToken != null && adminToken.isBlank()) {
            throw new IllegalArgumentException("--admin-token must not be blank");
        }
        Path seedPath = null;
        if (seedFile != null) {
            if (!Files.isRegularFile(Path.of(seedFile))) {
                throw new IllegalArgumentException("seed file " + seedFile + " does not exist");
            }
            seedPath = Path.of(seedFile);
        } else if (Files.isRegularFile(Path.of("jobs/demo/sandbox-seed.json"))) {
            seedPath = Path.of("jobs/demo/sandbox-seed.json");
        }
        SandboxSeed seed = seedPath != null
                ? SandboxSeed.load(seedPath)
                : SandboxSeed.builder().build();
        SandboxOptions options = SandboxOptions.of(seed)
                .withPort(port)
                .withRandomSeed(randomSeed)
                .withMaxThreads(threads)
                .withLogLimit(logLimit)
                .withBindAddress(host)
                .withAdminToken(adminToken)
                .withSeedFile(seedPath);
        for (FaultRule rule : faults) {
            options = options.withFault(rule);
        }
        for (String[] kv : rateLimits) {
            options = options.withRateLimit(kv[0].trim(), Integer.parseInt(kv[1].trim()));
        }
        return options;
    }

    private static void printBanner(SandboxServer server, SandboxOptions options) {
        SandboxSeed seed = server.seed();
        System.out.println("Sandbox OMS listening on " + options.bindAddress() + ":" + server.port()
                + " (" + seed.locations().size() + " locations, "
                + seed.catalog().size() + " catalog SKUs, "
                + seed.onHand().size() + " on-hand positions)");
        System.out.println("  Omni      " + server.omniBaseUrl() + "   (header Ocp-Apim-Subscription-Key)");
        System.out.println("  Kibo      " + server.kiboBaseUrl() + "   token " + server.kiboTokenUrl()
                + " (HTTP Basic client id:secret)");
        System.out.println("  ShipEdge  " + server.shipEdgeBaseUrl() + "   (headers AccountID, Key)");
        System.out.println("  NewStore  " + server.newStoreBaseUrl() + "   token " + server.newStoreTokenUrl());
        System.out.println(
                "  Admin     " + server.adminUrl() + "/state | /counters | /mutations | /requests | /faults | /reset"
                        + (options.adminToken() == null
                                ? "   (loopback callers only)"
                                : "   (header Authorization: Bearer <--admin-token>)"));
        System.out.println(
                "Credentials: the seed's \"credentials\" block (omniSubscriptionKey, kiboClientId, kiboClientSecret,"
                        + " shipEdgeAccountId, shipEdgeKey, newStoreClientId, newStoreClientSecret); fields left out take the"
                        + " documented demo defaults (see docs/sandbox.md).");
        if (!options.faults().isEmpty() || !options.rateLimits().isEmpty()) {
            System.out.println("Faults: " + options.faults() + " rate limits " + options.rateLimits() + " random seed "
                    + options.randomSeed());
        }
        System.out.println("Stop with Ctrl-C (SIGTERM).");
    }
}
