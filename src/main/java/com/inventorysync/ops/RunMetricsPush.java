package com.inventorysync.ops;

import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.StringUtils;

/**
 * Pushes the process's meters to the Prometheus Pushgateway once, as the command ends: a batch
 * process is gone before any scrape. Configured by Spring Boot's own
 * {@code management.prometheus.metrics.export.pushgateway.*} properties (address, scheme, format,
 * username/password or token, grouping-key).
 * <p>
 * Unlike Boot's own periodic push (to one group named by the {@code job} property), each sync job
 * pushes to a group of its own, {@code job=<the job's name>, command=sync|reconcile}, with a PUT that
 * replaces the group: the gateway then holds each job's last run, failed and stopped ones included,
 * and one job's push never erases another's. The gateway sets a series' {@code job} label to the
 * group's, which is why the group is the job: the meters' own {@code job} tag survives unchanged.
 * <p>
 * A lifecycle stopped after {@link GracefulStop}: a run stopped by SIGTERM has recorded its end
 * (the listener's meters) before the push. A push that fails is logged, never the command's outcome.
 */
public class RunMetricsPush implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(RunMetricsPush.class);

    private final PrometheusRegistry registry;
    private final PrometheusProperties.Pushgateway settings;
    private final RunMetrics runs;
    private final Duration grace;
    private volatile boolean running;

    public RunMetricsPush(
            PrometheusRegistry registry, PrometheusProperties.Pushgateway settings, RunMetrics runs, Duration grace) {
        this.registry = registry;
        this.settings = settings;
        this.runs = runs;
        this.grace = grace;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Right after {@link GracefulStop} (phase {@code Integer.MAX_VALUE}), while nothing else has stopped. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }

    @Override
    public void stop() {
        running = false;
        if (!runs.awaitRecorded(grace)) {
            log.warn(
                    "a run had not recorded its end within {} s: its meters are pushed as they stand",
                    grace.toSeconds());
        }
        runs.recorded().ifPresent(this::push);
    }

    /** PUT to the group {@code job=<job>, command=<command>} plus the configured grouping key. */
    void push(RunMetrics.Recorded recorded) {
        PushGateway.Builder builder = PushGateway.builder()
                .address(settings.getAddress())
                .scheme(
                        settings.getScheme() == PrometheusProperties.Pushgateway.Scheme.HTTPS
                                ? Scheme.HTTPS
                                : Scheme.HTTP)
                .format(
                        settings.getFormat() == PrometheusProperties.Pushgateway.Format.TEXT
                                ? Format.PROMETHEUS_TEXT
                                : Format.PROMETHEUS_PROTOBUF)
                .job(recorded.job())
                .registry(registry);
        if (StringUtils.hasText(settings.getToken())) {
            builder.bearerToken(settings.getToken());
        } else if (StringUtils.hasText(settings.getUsername())) {
            builder.basicAuth(settings.getUsername(), settings.getPassword());
        }
        settings.getGroupingKey().forEach(builder::groupingKey);
        builder.groupingKey("command", recorded.command());
        try {
            builder.build().push();
            log.debug("metrics of job '{}' pushed to the Pushgateway at {}", recorded.job(), settings.getAddress());
        } catch (IOException | RuntimeException e) {
            // The address only: the gateway's credentials must never reach a log line.
            log.warn(
                    "the metrics of job '{}' could not be pushed to the Pushgateway at {}: {}",
                    recorded.job(),
                    settings.getAddress(),
                    e.toString());
        }
    }
}
