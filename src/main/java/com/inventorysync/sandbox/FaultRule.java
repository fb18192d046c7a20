package com.inventorysync.sandbox;

import java.util.Locale;
import java.util.Set;

/**
 * Faults for the endpoints a scope selects. Scopes: {@code *} (every vendor endpoint), {@code mutations}
 * (omni.onhand.put, kibo.refresh, newstore.config.put), an endpoint id ({@code omni.onhand.put}), a vendor
 * ({@code omni.*}), or a path pattern starting with {@code /} where {@code *} matches anything
 * ({@code /omni/v1/inventory/*}). The admin API is never faulted.
 *
 * @param latencyMillis     fixed delay before the request is handled
 * @param jitterMillis      plus a uniformly random delay in [0, jitter]
 * @param error503          fraction of requests answered 503, not applied
 * @param error429          fraction of requests answered 429 with {@code Retry-After}, not applied
 * @param retryAfterSeconds the {@code Retry-After} of those 429s
 * @param dropAfterApply    fraction of requests that are applied, then have their connection closed without a response
 */
public record FaultRule(String scope, Integer latencyMillis, Integer jitterMillis, Double error503, Double error429,
        Integer retryAfterSeconds, Double dropAfterApply) {

    static final Set<String> MUTATIONS = Set.of("omni.onhand.put", "kibo.refresh", "newstore.config.put");

    public FaultRule {
        scope = scope == null || scope.isBlank() ? "*" : scope.trim();
        latencyMillis = latencyMillis != null ? latencyMillis : 0;
        jitterMillis = jitterMillis != null ? jitterMillis : 0;
        error503 = error503 != null ? error503 : 0.0;
        error429 = error429 != null ? error429 : 0.0;
        retryAfterSeconds = retryAfterSeconds != null ? retryAfterSeconds : 1;
        dropAfterApply = dropAfterApply != null ? dropAfterApply : 0.0;
        if (latencyMillis < 0 || jitterMillis < 0 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("fault " + scope + ": latency, jitter and retry-after must be >= 0");
        }
        for (double fraction : new double[] {error503, error429, dropAfterApply}) {
            if (fraction < 0 || fraction > 1) {
                throw new IllegalArgumentException("fault " + scope + ": fractions must be between 0 and 1");
            }
        }
    }

    public static FaultRule latency(String scope, int fixedMillis, int jitterMillis) {
        return new FaultRule(scope, fixedMillis, jitterMillis, null, null, null, null);
    }

    public static FaultRule unavailable(String scope, double fraction) {
        return new FaultRule(scope, null, null, fraction, null, null, null);
    }

    public static FaultRule tooManyRequests(String scope, double fraction, int retryAfterSeconds) {
        return new FaultRule(scope, null, null, null, fraction, retryAfterSeconds, null);
    }

    public static FaultRule dropAfterApply(String scope, double fraction) {
        return new FaultRule(scope, null, null, null, null, null, fraction);
    }

    boolean matches(String endpoint, String path) {
        if (scope.equals("*")) {
            return true;
        }
        if (scope.equals("mutations")) {
            return MUTATIONS.contains(endpoint);
        }
        if (scope.startsWith("/")) {
            return glob(scope, path);
        }
        if (scope.endsWith(".*")) {
            return endpoint.startsWith(scope.substring(0, scope.length() - 1));
        }
        return scope.equals(endpoint);
    }

    private static boolean glob(String pattern, String path) {
        String regex = ("\\Q" + pattern.replace("*", "\\E.*\\Q") + "\\E");
        return path.matches(regex);
    }

    /**
     * Parses the command-line form {@code SCOPE:key=value,...} with keys {@code latency} (ms, or {@code fixed+jitter}),
     * {@code jitter}, {@code 503}, {@code 429}, {@code retry-after}, {@code drop}; e.g.
     * {@code omni.onhand.put:latency=10+5,503=0.05,drop=0.01}.
     */
    public static FaultRule parse(String spec) {
        int colon = spec.lastIndexOf(':');
        String scope = colon > 0 ? spec.substring(0, colon) : "*";
        String settings = colon > 0 ? spec.substring(colon + 1) : spec;
        Integer latency = null;
        Integer jitter = null;
        Double e503 = null;
        Double e429 = null;
        Integer retryAfter = null;
        Double drop = null;
        for (String part : settings.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("fault '" + spec + "': expected key=value, got '" + part + "'");
            }
            String key = kv[0].trim().toLowerCase(Locale.ROOT);
            String value = kv[1].trim();
            try {
                switch (key) {
                    case "latency" -> {
                        String[] fj = value.split("\\+", 2);
                        latency = Integer.parseInt(fj[0].trim());
                        if (fj.length == 2) {
                            jitter = Integer.parseInt(fj[1].trim());
                        }
                    }
                    case "jitter" -> jitter = Integer.parseInt(value);
                    case "503" -> e503 = Double.parseDouble(value);
                    case "429" -> e429 = Double.parseDouble(value);
                    case "retry-after" -> retryAfter = Integer.parseInt(value);
                    case "drop" -> drop = Double.parseDouble(value);
                    default -> throw new IllegalArgumentException("fault '" + spec + "': unknown key '" + key
                            + "' (latency, jitter, 503, 429, retry-after, drop)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("fault '" + spec + "': '" + value + "' is not a number");
            }
        }
        return new FaultRule(scope, latency, jitter, e503, e429, retryAfter, drop);
    }
}
