package com.inventorysync.sandbox;

import com.inventorysync.sandbox.HttpCall.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The admin API under {@code /admin}: reads of the state, counters and logs; fault settings; token expiry; reset and
 * seed reload. Never faulted, never logged. Answers JSON; errors as {@code {"error": "..."}} with 400 or 404.
 */
final class AdminApi {
    private final SandboxServer server;
    private final ObjectMapper json;
    private final AdminAccess access;
    private final SeedFolder seedFolder;

    AdminApi(SandboxServer server, ObjectMapper json, AdminAccess access, SeedFolder seedFolder) {
        this.server = server;
        this.json = json;
        this.access = access;
        this.seedFolder = seedFolder;
    }

    Reply handle(HttpCall call) throws IOException {
        int refusal = access.refusal(call.exchange.getRemoteAddress().getAddress(), call.header("Authorization"));
        if (refusal == 401) {
            return error(401, "the admin API wants Authorization: Bearer <the sandbox's --admin-token>")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"sandbox-admin\"");
        }
        if (refusal != 0) {
            return error(
                    refusal,
                    "the admin API answers loopback callers only; start the sandbox with --admin-token to open it");
        }
        String route = call.method + " " + call.subPath;
        try {
            return switch (route) {
                case "GET /state" -> ok(state());
                case "GET /counters" -> ok(server.counters());
                case "GET /mutations" -> ok(since(server.mutationLog(), call, Mutation::sequence));
                case "GET /requests" -> ok(since(server.requestLog(), call, RequestRecord::sequence));
                case "GET /faults" -> ok(server.faults().settings());
                case "PUT /faults" -> {
                    server.faults().apply(json.readValue(call.body(), Faults.Settings.class));
                    yield ok(server.faults().settings());
                }
                case "POST /faults" -> {
                    String spec = call.param("spec");
                    server.faults()
                            .add(spec != null ? FaultRule.parse(spec) : json.readValue(call.body(), FaultRule.class));
                    yield ok(server.faults().settings());
                }
                case "DELETE /faults" -> {
                    server.faults().clear();
                    yield ok(server.faults().settings());
                }
                case "POST /rate-limits" -> {
                    Map<String, Object> limits = json.readValue(call.body(), Map.class);
                    limits.forEach((api, perSecond) -> server.faults().rateLimit(api, ((Number) perSecond).intValue()));
                    yield ok(server.faults().settings());
                }
                case "POST /expire-tokens" -> {
                    server.faults().expireTokensNow();
                    yield ok(Map.of("expired", true));
                }
                case "POST /reset" -> {
                    server.reset();
                    yield ok(Map.of("reset", true));
                }
                case "POST /seed" -> {
                    String path = call.param("path");
                    SandboxSeed seed;
                    if (path != null) {
                        Path file;
                        try {
                            file = seedFolder.resolve(path);
                        } catch (SeedFolder.Refused e) {
                            yield error(e.status, e.getMessage());
                        }
                        try {
                            seed = SandboxSeed.load(file);
                        } catch (RuntimeException e) {
                            // The reason may quote the file; it goes to the sandbox's own output, never to the caller.
                            System.err.println("sandbox: seed " + file + " not loaded: " + e.getMessage());
                            yield error(400, "not a valid sandbox seed (the sandbox's output says why)");
                        }
                    } else {
                        String type = call.header("Content-Type");
                        boolean yaml = type != null
                                && type.toLowerCase(java.util.Locale.ROOT).contains("yaml");
                        seed = SandboxSeed.parse(call.bodyText(), yaml);
                    }
                    server.reload(seed);
                    yield ok(Map.of(
                            "reloaded",
                            true,
                            "locations",
                            server.state().locations.size(),
                            "catalog",
                            seed.catalog().size(),
                            "onHand",
                            seed.onHand().size()));
                }
                case "PUT /onhand" -> {
                    Map<String, Object> body = json.readValue(call.body(), Map.class);
                    String sku = (String) body.get("sku");
                    String location = (String) body.get("location");
                    Object onHand = body.get("onHand");
                    if (sku == null || location == null || !(onHand instanceof Number)) {
                        yield error(400, "give sku, location and onHand");
                    }
                    server.setOnHand(sku, location, ((Number) onHand).intValue());
                    yield ok(Map.of("sku", sku, "location", location, "onHand", server.omniOnHand(sku, location)));
                }
                default ->
                    error(
                            404,
                            "no admin endpoint " + route
                                    + " (GET state, counters, mutations, requests, faults; PUT/POST/DELETE faults; POST rate-limits,"
                                    + " expire-tokens, reset, seed; PUT onhand)");
            };
        } catch (JacksonException e) {
            return error(400, "invalid JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            return error(400, e.getMessage());
        }
    }

    private Reply ok(Object body) {
        return Reply.json(200, json.writeValueAsBytes(body));
    }

    private Reply error(int status, String message) {
        return Reply.json(status, json.writeValueAsBytes(Map.of("error", String.valueOf(message))));
    }

    private static <T> List<T> since(List<T> entries, HttpCall call, java.util.function.ToLongFunction<T> sequence) {
        String since = call.param("since");
        if (since == null) {
            return entries;
        }
        long after = Long.parseLong(since);
        return entries.stream().filter(e -> sequence.applyAsLong(e) > after).toList();
    }

    private Map<String, Object> state() {
        SandboxState s = server.state();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("locations", s.locations.values());
        result.put("catalogSize", s.catalog.size());
        result.put("acceptUnknownSkus", s.seed.acceptUnknownSkus());
        List<Map<String, Object>> positions = new ArrayList<>();
        for (String location : s.locations.keySet()) {
            s.positions.get(location).forEach((sku, counts) -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("sku", sku);
                p.put("location", location);
                synchronized (counts) {
                    p.put("onHand", counts.onHand);
                    p.put("reserved", counts.reserved);
                    p.put("allocated", counts.allocated);
                }
                p.put("available", counts.available());
                positions.add(p);
            });
        }
        result.put("onHand", positions);
        List<Map<String, Object>> virtual = new ArrayList<>();
        s.pools
                .values()
                .forEach(group -> group.values().forEach(pool -> {
                    for (String sku : s.poolSkus(pool)) {
                        Map<String, Object> v = new LinkedHashMap<>();
                        v.put("group", pool.group());
                        v.put("pool", pool.name());
                        v.put("sku", sku);
                        v.put("quantity", s.virtualQuantity(pool, sku));
                        virtual.add(v);
                    }
                }));
        result.put("pools", s.seed.pools());
        result.put("virtual", virtual);
        result.put("drift", s.seed.drift());
        result.put("kiboLocations", s.kiboLocations);
        result.put("kiboQuantities", s.kiboQuantities);
        List<Map<String, Object>> jobs = new ArrayList<>();
        s.kiboJobs.values().stream().sorted((a, b) -> Long.compare(a.id, b.id)).forEach(job -> {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("jobID", job.id);
            j.put("locationName", job.locationName);
            j.put("status", job.status);
            j.put("itemCount", job.skus.size());
            jobs.add(j);
        });
        result.put("kiboJobs", jobs);
        result.put("shipEdgeStock", s.shipEdgeStock);
        result.put("newStore", Map.of("externalOmsEnabled", s.newStoreExternalOms));
        result.put("activeTokens", s.tokens.size());
        result.put("faults", server.faults().settings());
        return result;
    }
}
