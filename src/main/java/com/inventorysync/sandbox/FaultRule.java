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
 * @param answer            a fraction of requests answered with a chosen status and body instead of the contract's answer
 */
public record FaultRule(
        String scope,
        Integer latencyMillis,
        Integer jitterMillis,
        Double error503,
        Double error429,
        Integer retryAfterSeconds,
        Double dropAfterApply,
        Answer answer) {

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

    public FaultRule(
            String scope,
            Integer latencyMillis,
            Integer jitterMillis,
            Double error503,
            Double error429,
            Integer retryAfterSeconds,
            Double dropAfterApply) {
        this(scope, latencyMillis, jitterMillis, error503, error429, retryAfterSeconds, dropAfterApply, null);
    }

    /**
     * What a gateway, proxy or misbehaving OMS says instead of the contract's answer.
     *
     * @param fraction    of the scope's requests answered so (default 1.0: every one)
     * @param status      the HTTP status
     * @param contentType the {@code Content-Type} (none when the body is empty)
     * @param body        the body as sent (empty or null: none)
     * @param applied     false (default): the request never reaches the OMS; true: it is applied, then answered so
     *                    (only when the OMS itself would have answered 2xx)
     */
    public record Answer(Double fraction, Integer status, String contentType, String body, Boolean applied) {
        public Answer {
            fraction = fraction != null ? fraction : 1.0;
            applied = applied != null && applied;
            if (status == null || status < 100 || status > 599) {
                throw new IllegalArgumentException("answer fault: status must be between 100 and 599, got " + status);
            }
            if (fraction < 0 || fraction > 1) {
                throw new IllegalArgumentException("answer fault: fraction must be between 0 and 1");
            }
            body = body != null ? body : "";
            contentType = body.isEmpty() ? null : contentType != null ? contentType : "text/plain; charset=utf-8";
        }

        /** An HTML error page such as a proxy or load balancer sends. */
        public static Answer html(double fraction, int status, boolean applied) {
            String title = status + " " + reason(status);
            return new Answer(
                    fraction,
                    status,
                    "text/html; charset=utf-8",
                    "<!DOCTYPE html>\n<html><head><title>" + title + "</title></head>\n<body><center><h1>" + title
                            + "</h1></center><hr><center>gateway</center></body></html>\n",
                    applied);
        }

        /** Azure API Management's own JSON answer, e.g. 403 {@code {"statusCode":403,"message":"Out of call volume quota ..."}}. */
        public static Answer apim(double fraction, int status, boolean applied) {
            String message = switch (status) {
                case 401 ->
                    "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.";
                case 403 -> "Out of call volume quota. Quota will be replenished in 00:00:59.";
                case 404 -> "Resource not found";
                case 429 -> "Rate limit is exceeded. Try again in 1 seconds.";
                default -> reason(status);
            };
            return new Answer(
                    fraction,
                    status,
                    "application/json; charset=utf-8",
                    "{\"statusCode\":" + status + ",\"message\":\"" + message + "\"}",
                    applied);
        }

        /** The status alone, no body. */
        public static Answer empty(double fraction, int status, boolean applied) {
            return new Answer(fraction, status, null, null, applied);
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 500 -> "Internal Server Error";
                case 502 -> "Bad Gateway";
                case 503 -> "Service Unavailable";
                case 504 -> "Gateway Timeout";
                default -> "Status " + status;
            };
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

    public static FaultRule answer(String scope, Answer answer) {
        return new FaultRule(scope, null, null, null, null, null, null, answer);
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
     * {@code jitter}, {@code 503}, {@code 429}, {@code retry-after}, {@code drop}, and for an {@link Answer}:
     * {@code status}, {@code answer} (fraction, default 1), {@code body} ({@code html}, {@code apim} or {@code empty},
     * the default), {@code content-type}, {@code applied} ({@code true}/{@code false}); e.g.
     * {@code omni.onhand.put:latency=10+5,503=0.05,drop=0.01} or {@code omni.onhand.put:status=502,body=html}.
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
        Integer status = null;
        Double answerFraction = null;
        String body = null;
        String contentType = null;
        Boolean applied = null;
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
                    case "status" -> status = Integer.parseInt(value);
                    case "answer" -> answerFraction = Double.parseDouble(value);
                    case "body" -> body = value.toLowerCase(Locale.ROOT);
                    case "content-type" -> contentType = value;
                    case "applied" -> {
                        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                            throw new IllegalArgumentException(
                                    "fault '" + spec + "': applied is true or false, got '" + value + "'");
                        }
                        applied = Boolean.parseBoolean(value);
                    }
                    default ->
                        throw new IllegalArgumentException(
                                "fault '" + spec + "': unknown key '" + key
                                        + "' (latency, jitter, 503, 429, retry-after, drop, status, answer, body, content-type, applied)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("fault '" + spec + "': '" + value + "' is not a number");
            }
        }
        Answer answer = null;
        if (status != null) {
            answer = cannedAnswer(
                    spec, answerFraction != null ? answerFraction : 1.0, status, body, applied != null && applied);
            if (contentType != null) {
                answer = new Answer(answer.fraction(), answer.status(), contentType, answer.body(), answer.applied());
            }
        } else if (answerFraction != null || body != null || contentType != null || applied != null) {
            throw new IllegalArgumentException(
                    "fault '" + spec + "': answer, body, content-type and applied need a status");
        }
        return new FaultRule(scope, latency, jitter, e503, e429, retryAfter, drop, answer);
    }

    private static Answer cannedAnswer(String spec, double fraction, int status, String body, boolean applied) {
        return switch (body == null ? "empty" : body) {
            case "html" -> Answer.html(fraction, status, applied);
            case "apim" -> Answer.apim(fraction, status, applied);
            case "empty" -> Answer.empty(fraction, status, applied);
            default ->
                throw new IllegalArgumentException(
                        "fault '" + spec + "': body is html, apim or empty, got '" + body + "'");
        };
    }
}
