package com.inventorysync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One request as the vendor APIs see it: method, path below the vendor prefix, query, headers and body. */
final class HttpCall {
    final HttpExchange exchange;
    final String method;
    final String path;
    /** The path below the vendor prefix, e.g. {@code /v1/inventory/onhand}. */
    final String subPath;

    final String rawQuery;
    final String requestId;
    private Map<String, List<String>> query;
    private byte[] body;

    HttpCall(HttpExchange exchange, String path, String subPath) {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        this.path = path;
        this.subPath = subPath;
        this.rawQuery = exchange.getRequestURI().getRawQuery();
        this.requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    byte[] body() throws IOException {
        if (body == null) {
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
        }
        return body;
    }

    String bodyText() throws IOException {
        return new String(body(), StandardCharsets.UTF_8);
    }

    Map<String, List<String>> query() {
        if (query == null) {
            query = parseForm(rawQuery);
        }
        return query;
    }

    List<String> params(String name) {
        return query().getOrDefault(name, List.of());
    }

    String param(String name) {
        List<String> values = params(name);
        return values.isEmpty() ? null : values.get(0);
    }

    static Map<String, List<String>> parseForm(String encoded) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return result;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            result.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return result;
    }

    /** What to answer. A 204 or a null body sends no body. */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Reply empty(int status) {
            return new Reply(status, null, null, Map.of());
        }

        static Reply json(int status, byte[] body) {
            return new Reply(status, "application/json; charset=utf-8", body, Map.of());
        }

        Reply withHeader(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(headers);
            copy.put(name, value);
            return new Reply(status, contentType, body, copy);
        }

        boolean success() {
            return status >= 200 && status < 300;
        }
    }
}
