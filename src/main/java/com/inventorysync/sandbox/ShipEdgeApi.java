package com.inventorysync.sandbox;

import com.inventorysync.sandbox.HttpCall.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.ObjectMapper;

/** ShipEdge v4, as contracts/shipedge-oms.yaml describes it, under {@code /shipedge/apirest/v4/oms}. */
final class ShipEdgeApi {
    private final Supplier<SandboxState> state;
    private final ObjectMapper json;

    ShipEdgeApi(Supplier<SandboxState> state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    static String endpoint(String method, String subPath) {
        return switch (subPath) {
            case "/ping" -> method.equals("POST") ? "shipedge.ping" : null;
            case "/inventory/stock" -> method.equals("GET") ? "shipedge.stock.get" : null;
            default -> null;
        };
    }

    Reply error(int status, String message) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("success", false);
        response.put("message", message);
        return Reply.json(status, json.writeValueAsBytes(Map.of("response", response)));
    }

    Reply handle(String endpoint, HttpCall call) {
        SandboxState s = state.get();
        String account = call.header("AccountID");
        String key = call.header("Key");
        if (account == null || key == null) {
            return error(401, "Missing AccountID or Key header");
        }
        if (!account.equals(s.seed.credentials().shipEdgeAccountId())
                || !key.equals(s.seed.credentials().shipEdgeKey())) {
            return error(401, "Invalid credentials");
        }
        if (endpoint.equals("shipedge.ping")) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("status", "Successful");
            data.put("result", "pong!");
            return Reply.json(200, json.writeValueAsBytes(Map.of("data", data)));
        }
        int page;
        int perPage;
        try {
            page = call.param("page") == null ? 1 : Integer.parseInt(call.param("page"));
            perPage = call.param("per_page") == null ? 20 : Integer.parseInt(call.param("per_page"));
        } catch (NumberFormatException e) {
            return error(400, "page and per_page must be integers");
        }
        if (page < 1) {
            return error(400, "page must be 1 or more");
        }
        if (perPage < 1 || perPage > 500) {
            return error(400, "per_page must be between 1 and 500");
        }
        String sku = call.param("sku");
        String dc = call.param("distribution_center");
        List<SandboxSeed.ShipEdgeStock> matching = new ArrayList<>();
        for (SandboxSeed.ShipEdgeStock st : s.shipEdgeStock) {
            if ((sku == null || sku.equals(st.sku())) && (dc == null || dc.equals(st.distributionCenter()))) {
                matching.add(st);
            }
        }
        long from = (long) (page - 1) * perPage;
        List<Map<String, Object>> data = new ArrayList<>();
        for (long i = from; i < matching.size() && data.size() < perPage; i++) {
            SandboxSeed.ShipEdgeStock st = matching.get((int) i);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("sku", st.sku());
            item.put("distribution_center", st.distributionCenter());
            item.put("on_hand", st.onHand());
            item.put("allocated", st.allocated());
            item.put("available", Math.max(0, st.onHand() - st.allocated()));
            data.add(item);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("page", page);
        metadata.put("per_page", perPage);
        metadata.put("total_records", matching.size());
        metadata.put("total_pages", (matching.size() + perPage - 1) / perPage);
        metadata.put("total_current_page", data.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        body.put("metadata", metadata);
        return Reply.json(200, json.writeValueAsBytes(body));
    }
}
