package com.inventorysync.sandbox;

import com.inventorysync.sandbox.HttpCall.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Kibo OMS, as contracts/kibo-oms.yaml describes it, under {@code /kibo}: the token endpoint, refresh and queue
 * status on both base paths ({@code /api/...} and {@code /inv/api/...}), one set of client credentials for both.
 * A refresh is validated and resolved to SKUs when accepted; its counts are applied when the job completes,
 * {@code kiboJobDelayMillis} later (half-way it shows PROCESSING). Jobs complete one at a time, in order.
 */
final class KiboApi {
    static final int MAX_ITEMS = 12000;
    private final Supplier<SandboxState> state;
    private final ObjectMapper json;
    private final ScheduledExecutorService jobRunner;

    KiboApi(Supplier<SandboxState> state, ObjectMapper json, ScheduledExecutorService jobRunner) {
        this.state = state;
        this.json = json;
        this.jobRunner = jobRunner;
    }

    static String endpoint(String method, String subPath) {
        if (subPath.equals("/oauth2/token")) {
            return method.equals("POST") ? "kibo.token" : null;
        }
        String p = subPath.startsWith("/inv/") ? subPath.substring(4) : subPath;
        if (p.equals("/api/v5/inventory/refresh")) {
            return method.equals("POST") ? "kibo.refresh" : null;
        }
        if (p.startsWith("/api/v1/queue/") && p.length() > "/api/v1/queue/".length()) {
            return method.equals("GET") ? "kibo.queue.get" : null;
        }
        return null;
    }

    Reply handle(String endpoint, HttpCall call) throws IOException {
        SandboxState s = state.get();
        if (endpoint.equals("kibo.token")) {
            return token(s, call);
        }
        String auth = call.header("Authorization");
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? auth.substring(7).trim()
                : null;
        if (!s.validToken("kibo", token)) {
            return Reply.empty(401).withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        return endpoint.equals("kibo.refresh") ? refresh(s, call) : queue(s, call);
    }

    private Reply token(SandboxState s, HttpCall call) throws IOException {
        Map<String, List<String>> form = HttpCall.parseForm(call.bodyText());
        String clientId = null;
        String secret = null;
        String auth = call.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded =
                        new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    clientId = decoded.substring(0, colon);
                    secret = decoded.substring(colon + 1);
                }
            } catch (IllegalArgumentException e) {
                clientId = null;
            }
        }
        SandboxSeed.Credentials c = s.seed.credentials();
        if (!c.kiboClientId().equals(clientId) || !c.kiboClientSecret().equals(secret)) {
            return Reply.empty(401).withHeader("WWW-Authenticate", "Basic realm=\"kibo\"");
        }
        List<String> grant = form.getOrDefault("grant_type", List.of());
        if (!grant.equals(List.of("client_credentials"))) {
            return Reply.json(400, json.writeValueAsBytes(Map.of("error", "unsupported_grant_type")));
        }
        int ttl = s.seed.kiboTokenTtlSeconds();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", s.issueToken("kibo", ttl));
        body.put("token_type", "bearer");
        body.put("expires_in", ttl);
        return Reply.json(200, json.writeValueAsBytes(body));
    }

    private Reply invalid(List<Map<String, Object>> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "Validation failed for " + errors.size() + " item(s); nothing was queued.");
        body.put("errors", errors);
        return Reply.json(400, json.writeValueAsBytes(body));
    }

    private static Map<String, Object> problem(int index, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("index", index);
        e.put("message", message);
        return e;
    }

    private Reply refresh(SandboxState s, HttpCall call) throws IOException {
        JsonNode body;
        try {
            body = json.readTree(call.body());
        } catch (JacksonException e) {
            return invalid(List.of(problem(-1, "request body is not valid JSON")));
        }
        if (body == null || !body.isObject()) {
            return invalid(List.of(problem(-1, "request body must be a JSON object")));
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        JsonNode locationNode = body.get("locationName");
        String locationName = locationNode != null && locationNode.isString() ? locationNode.stringValue() : null;
        if (locationName == null || locationName.isEmpty()) {
            errors.add(problem(-1, "locationName is required"));
        } else if (!s.kiboLocations.containsKey(locationName)) {
            errors.add(problem(-1, "unknown locationName '" + locationName + "'"));
        }
        JsonNode items = body.get("items");
        if (items == null || !items.isArray() || items.size() == 0) {
            errors.add(problem(-1, "items: give 1 to " + MAX_ITEMS + " items"));
            return invalid(errors);
        }
        if (items.size() > MAX_ITEMS) {
            errors.add(problem(-1, "items: at most " + MAX_ITEMS + " items per request, got " + items.size()));
            return invalid(errors);
        }
        List<String> skus = new ArrayList<>(items.size());
        List<Integer> quantities = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String problem = checkItem(s, items.get(i), skus, quantities);
            if (problem != null) {
                errors.add(problem(i, problem));
            }
        }
        if (!errors.isEmpty()) {
            return invalid(errors);
        }
        SandboxState.KiboJob job = new SandboxState.KiboJob(
                s.kiboJobIds.incrementAndGet(), locationName, skus, quantities, call.requestId);
        s.kiboJobs.put(job.id, job);
        long delay = s.seed.kiboJobDelayMillis();
        if (delay <= 0) {
            s.applyKiboJob(job);
        } else {
            jobRunner.schedule(
                    () -> {
                        if (job.status.equals("QUEUED")) {
                            job.status = "PROCESSING";
                        }
                    },
                    delay / 2,
                    TimeUnit.MILLISECONDS);
            jobRunner.schedule(() -> s.applyKiboJob(job), delay, TimeUnit.MILLISECONDS);
        }
        return Reply.json(200, json.writeValueAsBytes(Map.of("jobID", job.id)));
    }

    /** Resolves one item to a SKU (by sku, else upc, else partNumber); returns what is wrong with it, or null. */
    private static String checkItem(SandboxState s, JsonNode item, List<String> skus, List<Integer> quantities) {
        if (item == null || !item.isObject()) {
            return "item must be an object";
        }
        JsonNode quantity = item.get("quantity");
        if (quantity == null || !quantity.isIntegralNumber() || !quantity.canConvertToInt()) {
            return "quantity is required and must be an integer";
        }
        if (quantity.intValue() < 0) {
            return "quantity must be 0 or more";
        }
        String sku = text(item, "sku");
        String upc = text(item, "upc");
        String partNumber = text(item, "partNumber");
        if (sku == null && upc == null && partNumber == null) {
            return "one of sku, upc or partNumber is required";
        }
        JsonNode bin = item.get("binID");
        if (bin != null && !bin.isNull() && (!bin.isIntegralNumber() || bin.longValue() < 1)) {
            return "binID must be an integer of 1 or more";
        }
        String locator = text(item, "inventoryLocatorName");
        if (locator != null && locator.length() > 50) {
            return "inventoryLocatorName is longer than 50 characters";
        }
        JsonNode attributes = item.get("attributes");
        if (attributes != null && !attributes.isNull() && (!attributes.isArray() || attributes.size() > 63)) {
            return "attributes must be an array of at most 63 values";
        }
        String resolved = null;
        if (sku != null && s.knownSku(sku)) {
            resolved = sku;
        }
        if (resolved == null && upc != null) {
            resolved = s.skuByUpc.get(upc);
        }
        if (resolved == null && partNumber != null) {
            resolved = s.skuByPartNumber.get(partNumber);
        }
        if (resolved == null) {
            return "unknown item ("
                    + (sku != null ? "sku " + sku : upc != null ? "upc " + upc : "partNumber " + partNumber) + ")";
        }
        skus.add(resolved);
        quantities.add(quantity.intValue());
        return null;
    }

    private static String text(JsonNode item, String field) {
        JsonNode node = item.get(field);
        return node != null && node.isString() && !node.stringValue().isEmpty() ? node.stringValue() : null;
    }

    private Reply queue(SandboxState s, HttpCall call) {
        String p = call.subPath.substring(call.subPath.lastIndexOf('/') + 1);
        SandboxState.KiboJob job;
        try {
            job = s.kiboJobs.get(Long.parseLong(p));
        } catch (NumberFormatException e) {
            job = null;
        }
        if (job == null) {
            return Reply.empty(404);
        }
        String status = job.status;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobID", job.id);
        body.put("type", "INVENTORY_REFRESH");
        body.put("status", status);
        body.put("itemCount", job.skus.size());
        body.put("processedCount", status.equals("COMPLETED") ? job.skus.size() : job.processedCount);
        body.put("errorCount", job.errorCount);
        return Reply.json(200, json.writeValueAsBytes(body));
    }
}
