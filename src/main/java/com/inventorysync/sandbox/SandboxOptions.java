package com.inventorysync.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start a sandbox: its seed, port (0 = any free port), the faults in force from the start, the seed of
 * its random source, the most worker threads, how many entries each log keeps (oldest dropped beyond that), the
 * address to listen on, the token the admin API asks for (null: loopback callers only) and the file the seed came
 * from (its folder is the only one {@code POST /admin/seed?path=} reads; null: none).
 */
public record SandboxOptions(
        SandboxSeed seed,
        int port,
        List<FaultRule> faults,
        Map<String, Integer> rateLimits,
        long randomSeed,
        int maxThreads,
        int logLimit,
        String bindAddress,
        String adminToken,
        Path seedFile) {

    public static final int DEFAULT_MAX_THREADS = 256;

    public SandboxOptions {
        if (seed == null) {
            throw new IllegalArgumentException("a sandbox needs a seed");
        }
        faults = faults != null ? List.copyOf(faults) : List.of();
        rateLimits = rateLimits != null ? Map.copyOf(rateLimits) : Map.of();
        maxThreads = maxThreads > 0 ? maxThreads : DEFAULT_MAX_THREADS;
        logLimit = logLimit > 0 ? logLimit : Integer.MAX_VALUE;
        bindAddress = bindAddress != null && !bindAddress.isBlank() ? bindAddress : "127.0.0.1";
        adminToken = adminToken != null && !adminToken.isEmpty() ? adminToken : null;
    }

    @Override
    public String toString() {
        return "SandboxOptions[port=" + port + ", faults=" + faults + ", rateLimits=" + rateLimits + ", randomSeed="
                + randomSeed + ", maxThreads=" + maxThreads + ", logLimit=" + logLimit + ", bindAddress=" + bindAddress
                + ", adminToken=" + (adminToken == null ? "(none)" : "****") + ", seedFile=" + seedFile + "]";
    }

    /** A random port, no faults, random seed 42, unbounded logs. */
    public static SandboxOptions of(SandboxSeed seed) {
        return new SandboxOptions(seed, 0, List.of(), Map.of(), 42L, DEFAULT_MAX_THREADS, 0, null, null, null);
    }

    public SandboxOptions withPort(int value) {
        return new SandboxOptions(
                seed, value, faults, rateLimits, randomSeed, maxThreads, logLimit, bindAddress, adminToken, seedFile);
    }

    public SandboxOptions withFault(FaultRule rule) {
        List<FaultRule> more = new ArrayList<>(faults);
        more.add(rule);
        return new SandboxOptions(
                seed, port, more, rateLimits, randomSeed, maxThreads, logLimit, bindAddress, adminToken, seedFile);
    }

    public SandboxOptions withRateLimit(String api, int perSecond) {
        Map<String, Integer> more = new LinkedHashMap<>(rateLimits);
        more.put(api, perSecond);
        return new SandboxOptions(
                seed, port, faults, more, randomSeed, maxThreads, logLimit, bindAddress, adminToken, seedFile);
    }

    public SandboxOptions withRandomSeed(long value) {
        return new SandboxOptions(
                seed, port, faults, rateLimits, value, maxThreads, logLimit, bindAddress, adminToken, seedFile);
    }

    public SandboxOptions withMaxThreads(int value) {
        return new SandboxOptions(
                seed, port, faults, rateLimits, randomSeed, value, logLimit, bindAddress, adminToken, seedFile);
    }

    /** The address to listen on; 127.0.0.1 unless given. */
    public SandboxOptions withBindAddress(String value) {
        return new SandboxOptions(
                seed, port, faults, rateLimits, randomSeed, maxThreads, logLimit, value, adminToken, seedFile);
    }

    public SandboxOptions withLogLimit(int value) {
        return new SandboxOptions(
                seed, port, faults, rateLimits, randomSeed, maxThreads, value, bindAddress, adminToken, seedFile);
    }

    /** With a token, every admin call must carry {@code Authorization: Bearer <token>}, from any address. */
    public SandboxOptions withAdminToken(String value) {
        return new SandboxOptions(
                seed, port, faults, rateLimits, randomSeed, maxThreads, logLimit, bindAddress, value, seedFile);
    }

    /** The file {@link #seed()} was loaded from; {@code POST /admin/seed?path=} reads only files in its folder. */
    public SandboxOptions withSeedFile(Path value) {
        return new SandboxOptions(
                seed, port, faults, rateLimits, randomSeed, maxThreads, logLimit, bindAddress, adminToken, value);
    }
}
