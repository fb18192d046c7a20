package com.inventorysync.sandbox;

import com.inventorysync.sandbox.HttpCall.Reply;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** NewStore, as contracts/newstore.yaml describes it: {@code /newstore/token} and {@code /newstore/v0/d/external_oms/config}. */
final class NewStoreApi {
    private final Supplier<SandboxState> state;
    private final ObjectMapper json;

    NewStoreApi(Supplier<SandboxState> state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    static String endpoint(String method, String subPath) {
        return switch (subPath) {
            case "/token" -> method.equals("POST") ? "newstore.token" : null;
            case "/v0/d/external_oms/config" ->
                switch (method) {
                    case "GET" -> "newstore.config.get";
                    case "PUT" -> "newstore.config.put";
                    default -> null;
                };
            default -> null;
        };
    }

    Reply handle(String endpoint, HttpCall call) throws IOException {
        SandboxState s = state.get();
        if (endpoint.equals("newstore.token")) {
            return token(s, call);
        }
        String auth = call.header("Authorization");
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? auth.substring(7).trim()
                : null;
        if (!s.validToken("newstore", token)) {
            return Reply.empty(401).withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        if (endpoint.equals("newstore.config.put")) {
            JsonNode body;
            try {
                body = json.readTree(call.body());
            } catch (JacksonException e) {
                return Reply.empty(400);
            }
            JsonNode enabled = body == null ? null : body.get("enabled");
            if (enabled == null || !enabled.isBoolean()) {
                return Reply.empty(400);
            }
            boolean before = s.newStoreExternalOms;
            s.newStoreExternalOms = enabled.booleanValue();
            s.mutations.add(new Mutation(
                    s.mutations.nextSequence(),
                    Instant.now(),
                    "newstore",
                    endpoint,
                    null,
                    null,
                    "Config",
                    enabled.booleanValue() ? 1 : 0,
                    before ? 1 : 0,
                    enabled.booleanValue() ? 1 : 0,
                    call.requestId));
        }
        return Reply.json(200, json.writeValueAsBytes(Map.of("enabled", s.newStoreExternalOms)));
    }

    private Reply token(SandboxState s, HttpCall call) throws IOException {
        Map<String, List<String>> form = HttpCall.parseForm(call.bodyText());
        if (!List.of("client_credentials").equals(form.get("grant_type"))) {
            return Reply.json(400, json.writeValueAsBytes(Map.of("error", "unsupported_grant_type")));
        }
        SandboxSeed.Credentials c = s.seed.credentials();
        if (!List.of(c.newStoreClientId()).equals(form.get("client_id"))
                || !List.of(c.newStoreClientSecret()).equals(form.get("client_secret"))) {
            return Reply.json(401, json.writeValueAsBytes(Map.of("error", "invalid_client")));
        }
        int ttl = s.seed.newStoreTokenTtlSeconds();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", s.issueToken("newstore", ttl));
        body.put("token_type", "Bearer");
        body.put("expires_in", ttl);
        return Reply.json(200, json.writeValueAsBytes(body));
    }
}
