package com.inventorysync.sandbox;

import com.inventorysync.sandbox.HttpCall.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Omni OMS, as contracts/omni-oms.yaml describes it, under {@code /omni}. */
final class OmniApi {
    private final Supplier<SandboxState> state;
    private final ObjectMapper json;

    OmniApi(Supplier<SandboxState> state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    static String endpoint(String method, String subPath) {
        return switch (subPath) {
            case "/v1/inventorylocations/", "/v1/inventorylocations" ->
                method.equals("GET") ? "omni.locations.get" : null;
            case "/v1/inventory/onhand", "/v1/inventory/onhand/" ->
                switch (method) {
                    case "GET" -> "omni.onhand.get";
                    case "PUT" -> "omni.onhand.put";
                    default -> null;
                };
            case "/v1/inventory/available", "/v1/inventory/available/" ->
                method.equals("GET") ? "omni.available.get" : null;
            case "/v1/virtualinventory/", "/v1/virtualinventory" -> method.equals("GET") ? "omni.virtual.get" : null;
            default -> null;
        };
    }

    Reply handle(String endpoint, HttpCall call) throws IOException {
        SandboxState s = state.get();
        String key = call.header("Ocp-Apim-Subscription-Key");
        if (key == null || !key.equals(s.seed.credentials().omniSubscriptionKey())) {
            return gatewayError(
                    401,
                    key == null
                            ? "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."
                            : "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.");
        }
        return switch (endpoint) {
            case "omni.locations.get" -> locations(s, call);
            case "omni.onhand.get" -> counts(s, call, false);
            case "omni.available.get" -> counts(s, call, true);
            case "omni.onhand.put" -> putOnHand(s, call);
            case "omni.virtual.get" -> virtual(s, call);
            default -> throw new IllegalStateException(endpoint);
        };
    }

    Reply gatewayError(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status);
        body.put("message", message);
        return Reply.json(status, json.writeValueAsBytes(body));
    }

    private Reply error(int status, String message) {
        return Reply.json(status, json.writeValueAsBytes(Map.of("Message", message)));
    }

    private record Paging(int pageSize, int pageNumber, String error) {}

    private static Paging paging(HttpCall call) {
        int pageSize = 100;
        int pageNumber = 1;
        try {
            if (call.param("pageSize") != null) {
                pageSize = Integer.parseInt(call.param("pageSize"));
            }
            if (call.param("pageNumber") != null) {
                pageNumber = Integer.parseInt(call.param("pageNumber"));
            }
        } catch (NumberFormatException e) {
            return new Paging(0, 0, "pageSize and pageNumber must be integers");
        }
        if (pageSize < 1 || pageSize > 1000) {
            return new Paging(0, 0, "pageSize must be between 1 and 1000");
        }
        if (pageNumber < 1) {
            return new Paging(0, 0, "pageNumber must be 1 or more");
        }
        return new Paging(pageSize, pageNumber, null);
    }

    private byte[] page(Paging paging, long total, List<?> items) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("PageNumber", paging.pageNumber());
        body.put("PageSize", paging.pageSize());
        body.put("TotalCount", total);
        body.put("Items", items);
        return json.writeValueAsBytes(body);
    }

    private Reply locations(SandboxState s, HttpCall call) {
        Paging paging = paging(call);
        if (paging.error() != null) {
            // The contract documents no 400 here; an out-of-range page setting is clamped instead.
            paging = new Paging(
                    Math.max(1, Math.min(1000, safeInt(call.param("pageSize"), 100))),
                    Math.max(1, safeInt(call.param("pageNumber"), 1)),
                    null);
        }
        String filter = call.param("locationInternalName");
        List<Map<String, Object>> all = new ArrayList<>();
        for (SandboxSeed.Location l : s.locations.values()) {
            if (filter != null && !filter.equals(l.internalName())) {
                continue;
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("InternalName", l.internalName());
            item.put("Name", l.name());
            item.put("LocationType", l.type());
            item.put("Active", l.active());
            all.add(item);
        }
        long from = (long) (paging.pageNumber() - 1) * paging.pageSize();
        List<Map<String, Object>> items = from >= all.size()
                ? List.of()
                : all.subList((int) from, (int) Math.min(all.size(), from + paging.pageSize()));
        return Reply.json(200, page(paging, all.size(), items));
    }

    private static int safeInt(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private Reply counts(SandboxState s, HttpCall call, boolean available) {
        List<String> locationNames = call.params("locationInternalNames");
        if (locationNames.isEmpty() || locationNames.size() > 50) {
            return error(400, "locationInternalNames: give 1 to 50 locations (repeat the parameter)");
        }
        List<String> skuList = call.params("skus");
        if (skuList.size() > 100) {
            return error(400, "skus: give at most 100 SKUs (repeat the parameter)");
        }
        Paging paging = paging(call);
        if (paging.error() != null) {
            return error(400, paging.error());
        }
        Set<String> skus = skuList.isEmpty() ? null : new TreeSet<>(skuList);
        long from = (long) (paging.pageNumber() - 1) * paging.pageSize();
        long index = 0;
        List<Map<String, Object>> items = new ArrayList<>();
        for (String location : new TreeSet<>(locationNames)) {
            ConcurrentSkipListMap<String, SandboxState.Counts> atLocation = s.positions.get(location);
            if (atLocation == null) {
                continue;
            }
            if (skus == null) {
                String[] sorted = s.sortedSkus(location);
                for (long i = Math.max(0, from - index); i < sorted.length && items.size() < paging.pageSize(); i++) {
                    SandboxState.Counts c = atLocation.get(sorted[(int) i]);
                    items.add(count(sorted[(int) i], location, available ? c.available() : c.onHand()));
                }
                index += sorted.length;
            } else {
                for (String sku : skus) {
                    SandboxState.Counts c = atLocation.get(sku);
                    if (c == null) {
                        continue;
                    }
                    if (index >= from && items.size() < paging.pageSize()) {
                        items.add(count(sku, location, available ? c.available() : c.onHand()));
                    }
                    index++;
                }
            }
        }
        return Reply.json(200, page(paging, index, items));
    }

    private static Map<String, Object> count(String sku, String location, int quantity) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("Sku", sku);
        item.put("LocationInternalName", location);
        item.put("Quantity", quantity);
        return item;
    }

    private Reply putOnHand(SandboxState s, HttpCall call) throws IOException {
        JsonNode body;
        try {
            body = json.readTree(call.body());
        } catch (JacksonException e) {
            return error(400, "request body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            return error(400, "request body must be a JSON object");
        }
        JsonNode sku = body.get("Sku");
        JsonNode location = body.get("LocationInternalName");
        JsonNode type = body.get("QuantityType");
        JsonNode quantity = body.get("Quantity");
        if (sku == null
                || !sku.isString()
                || sku.stringValue().isEmpty()
                || sku.stringValue().length() > 100) {
            return error(400, "Sku is required (1 to 100 characters)");
        }
        if (location == null || !location.isString() || location.stringValue().isEmpty()) {
            return error(400, "LocationInternalName is required");
        }
        if (type == null
                || !type.isString()
                || !(type.stringValue().equals("Delta") || type.stringValue().equals("Absolute"))) {
            return error(400, "QuantityType must be Delta or Absolute");
        }
        if (quantity == null || !quantity.isIntegralNumber() || !quantity.canConvertToInt()) {
            return error(400, "Quantity is required and must be an integer");
        }
        boolean delta = type.stringValue().equals("Delta");
        int q = quantity.intValue();
        if (!delta && q < 0) {
            return error(400, "Quantity of an Absolute update must be 0 or more");
        }
        if (!s.locations.containsKey(location.stringValue())) {
            return error(404, "Unknown location '" + location.stringValue() + "'");
        }
        if (!s.knownSku(sku.stringValue())) {
            return error(404, "Unknown SKU '" + sku.stringValue() + "'");
        }
        s.applyOnHand("omni", "omni.onhand.put", sku.stringValue(), location.stringValue(), delta, q, call.requestId);
        return Reply.empty(204);
    }

    private Reply virtual(SandboxState s, HttpCall call) {
        List<String> groups = call.params("inventoryPoolGroupNames");
        if (groups.isEmpty() || groups.size() > 4) {
            return error(400, "inventoryPoolGroupNames: give 1 to 4 pool groups (repeat the parameter)");
        }
        List<String> skuList = call.params("skus");
        if (skuList.size() > 7) {
            return error(400, "skus: give 1 to 7 SKUs (repeat the parameter)");
        }
        Paging paging = paging(call);
        if (paging.error() != null) {
            return error(400, paging.error());
        }
        Set<String> skuFilter = skuList.isEmpty() ? null : new LinkedHashSet<>(skuList);
        long from = (long) (paging.pageNumber() - 1) * paging.pageSize();
        long index = 0;
        List<Map<String, Object>> items = new ArrayList<>();
        for (String group : new TreeSet<>(groups)) {
            var poolsOfGroup = s.pools.get(group);
            if (poolsOfGroup == null) {
                continue;
            }
            for (SandboxSeed.Pool pool : poolsOfGroup.values()) {
                Set<String> skus = s.poolSkus(pool);
                if (skuFilter != null) {
                    skus.retainAll(skuFilter);
                }
                for (String sku : skus) {
                    if (index >= from && items.size() < paging.pageSize()) {
                        Map<String, Object> item = new LinkedHashMap<>();
                        item.put("InventoryPoolGroupName", group);
                        item.put("InventoryPoolName", pool.name());
                        item.put("Sku", sku);
                        item.put("Quantity", s.virtualQuantity(pool, sku));
                        items.add(item);
                    }
                    index++;
                }
            }
        }
        return Reply.json(200, page(paging, index, items));
    }
}
