package com.inventorysync.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * The meters of every vendor call, in one place: {@code inventorysync.http.requests{vendor,endpoint,status}}
 * (a timer per request on the wire, each attempt of a retried call counted) and
 * {@code inventorysync.http.retries{vendor,reason}}. Every vendor client runs on Apache HttpClient 5
 * (Omni's directly, the others under their {@code RestClient} through {@link VendorHttp#requestFactory}),
 * so one exec-chain handler times them all, token requests included.
 * <p>
 * Tags are bounded: the endpoint is the method and the path with ids replaced by {@code {id}} and
 * the query left out; nothing of a request's headers or body (keys, tokens) is ever read.
 */
public final class VendorHttpMeters {
    public static final String REQUESTS = "inventorysync.http.requests";
    public static final String RETRIES = "inventorysync.http.retries";
    public static final String LIMIT = "inventorysync.http.limit";
    public static final String RATE = "inventorysync.http.rate";
    /** The status tag of a request that got no answer (timeout, refused or dropped connection). */
    public static final String NO_ANSWER = "IO_ERROR";

    /** A path segment that names one thing rather than a kind of thing: digits, or a UUID, or a long token with digits. */
    private static final Pattern ID_SEGMENT =
            Pattern.compile("\\d+|[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}|(?=.*\\d)[A-Za-z0-9_-]{16,}");

    private final MeterRegistry registry;

    public VendorHttpMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters that go nowhere: for clients built outside the application (tests, benchmarks). */
    public static VendorHttpMeters none() {
        return new VendorHttpMeters(new CompositeMeterRegistry());
    }

    /** Times each request of {@code vendor}'s client; add it first in the client's exec chain. */
    public ExecChainHandler requests(String vendor) {
        return new RequestTimer(vendor);
    }

    /**
     * A new {@link AdaptiveLimiter} for {@code vendor}'s client, its state shown as gauges:
     * {@code inventorysync.http.limit{vendor}} (requests in flight at most) and
     * {@code inventorysync.http.rate{vendor}} (requests per second it paces at; 0 when not paced).
     */
    public AdaptiveLimiter limiter(String vendor) {
        AdaptiveLimiter limiter = new AdaptiveLimiter();
        Gauge.builder(LIMIT, limiter, AdaptiveLimiter::limit)
                .description("vendor requests in flight at most, as the adaptive limiter finds it")
                .tag("vendor", vendor)
                .register(registry);
        Gauge.builder(RATE, limiter, AdaptiveLimiter::rate)
                .description("vendor requests per second the limiter paces at; 0 when not paced")
                .tag("vendor", vendor)
                .register(registry);
        return limiter;
    }

    /** Counts {@code vendor}'s retries by what they retry: the status (429, 503) or {@code io}. */
    public HttpRetry.RetryObserver retries(String vendor) {
        return (operation, failure, wait) -> registry.counter(RETRIES, "vendor", vendor, "reason", reason(failure))
                .increment();
    }

    static String reason(Throwable failure) {
        if (failure instanceof VendorHttpException v) {
            return Integer.toString(v.status());
        }
        if (failure instanceof IOException || failure instanceof UncheckedIOException) {
            return "io";
        }
        return "other";
    }

    /** {@code GET /api/v1/queue/{id}} for {@code GET /api/v1/queue/4711?x=y}. */
    static String endpoint(String method, String pathAndQuery) {
        String path = pathAndQuery == null ? "" : pathAndQuery;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        StringBuilder endpoint = new StringBuilder(method).append(' ');
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                endpoint.append('/');
            }
            endpoint.append(ID_SEGMENT.matcher(segments[i]).matches() ? "{id}" : segments[i]);
        }
        return endpoint.toString();
    }

    private final class RequestTimer implements ExecChainHandler {
        private final String vendor;

        RequestTimer(String vendor) {
            this.vendor = vendor;
        }

        @Override
        public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
                throws IOException, HttpException {
            Timer.Sample sample = Timer.start(registry);
            String status = NO_ANSWER;
            try {
                ClassicHttpResponse response = chain.proceed(request, scope);
                status = Integer.toString(response.getCode());
                return response;
            } finally {
                sample.stop(Timer.builder(REQUESTS)
                        .description("vendor HTTP requests, each attempt on its own")
                        .tags(Tags.of(
                                "vendor",
                                vendor,
                                "endpoint",
                                endpoint(request.getMethod(), request.getPath()),
                                "status",
                                status))
                        .register(registry));
            }
        }
    }
}
