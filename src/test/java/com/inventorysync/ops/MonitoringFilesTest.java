package com.inventorysync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Grafana dashboard and the Prometheus alert rules under docs/monitoring load as they are,
 * and every metric their queries name is one the product exports ({@link #EXPORTED}, which
 * {@link RunMetricsPushTest} finds in a real Pushgateway after a sync).
 */
class MonitoringFilesTest {
    static final Path DASHBOARD = Path.of("docs/monitoring/inventory-sync-dashboard.json");
    static final Path ALERTS = Path.of("docs/monitoring/inventory-sync-alerts.yml");

    /** The Prometheus names of the product's meters, as the Pushgateway exposes them. */
    static final Set<String> EXPORTED = Set.of(
            "inventorysync_rows_total",
            "inventorysync_updates_total",
            "inventorysync_run_seconds_count",
            "inventorysync_run_seconds_sum",
            "inventorysync_run_seconds_max",
            "inventorysync_run_last_success_seconds",
            "inventorysync_http_requests_seconds_count",
            "inventorysync_http_requests_seconds_sum",
            "inventorysync_http_requests_seconds_max",
            "inventorysync_http_retries_total",
            "inventorysync_reconcile_discrepancies",
            "inventorysync_reconcile_units",
            "inventorysync_reconcile_alert_threshold",
            "inventorysync_omni_updates_total",
            "inventorysync_omni_put_seconds_count",
            "inventorysync_omni_put_seconds_sum",
            "inventorysync_omni_put_seconds_max",
            "inventorysync_omni_send_phase_seconds_count",
            "inventorysync_omni_send_phase_seconds_sum",
            "inventorysync_omni_send_phase_seconds_max",
            "spring_batch_job_seconds_count",
            "spring_batch_job_seconds_sum",
            "spring_batch_job_seconds_max",
            "spring_batch_step_seconds_count",
            "spring_batch_step_seconds_sum",
            "spring_batch_step_seconds_max");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");

    @Test
    void theDashboardParsesAndQueriesOnlyExportedMetrics() {
        JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("title").asString()).isEqualTo("inventory-sync");
        List<String> exprs = new ArrayList<>();
        collect(dashboard, "expr", exprs);
        assertThat(exprs).as("the dashboard's queries").hasSizeGreaterThan(10);
        assertThat(metricNames(exprs))
                .isSubsetOf(EXPORTED)
                .contains(
                        "inventorysync_updates_total",
                        "inventorysync_rows_total",
                        "inventorysync_run_last_success_seconds");
    }

    @Test
    void theAlertRulesParseAndQueryOnlyExportedMetrics() {
        JsonNode rules = YAMLMapper.builder().build().readTree(ALERTS.toFile());
        List<String> exprs = new ArrayList<>();
        List<String> alerts = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("expr").isString()).as(rule.toString()).isTrue();
                exprs.add(rule.path("expr").asString());
                alerts.add(rule.path("alert").asString());
            }
        }
        assertThat(alerts)
                .contains(
                        "InventorySyncRunFailed",
                        "InventorySyncNoSuccessIn26Hours",
                        "InventorySyncUnknownOrHeldUpdates",
                        "InventorySyncHigh429Share",
                        "InventorySyncReconciliationOverThreshold");
        assertThat(metricNames(exprs))
                .isSubsetOf(EXPORTED)
                .contains(
                        "inventorysync_run_last_success_seconds",
                        "inventorysync_http_retries_total",
                        "inventorysync_reconcile_alert_threshold");
    }

    @Test
    void aMisspelledMetricInAQueryIsCaught() {
        assertThat(
                        metricNames(
                                List.of(
                                        "time() - max by (job) (inventorysync_run_last_sucess_seconds{job=~\"$job\"}) > 26 * 3600",
                                        "sum by (job, vendor) (inventorysync_http_retries_total{reason=\"429\"}) / on (job) inventorysync_http_request_count")))
                .containsExactly(
                        "inventorysync_http_request_count",
                        "inventorysync_http_retries_total",
                        "inventorysync_run_last_sucess_seconds");
    }

    /** The metric names of PromQL expressions: what is left once strings, label matchers, grouping and function calls are out. */
    static Set<String> metricNames(List<String> exprs) {
        Set<String> names = new TreeSet<>();
        for (String expr : exprs) {
            String rest = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "")
                    .replaceAll("\\{[^}]*}", " ")
                    .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                    .replaceAll("\\b[a-zA-Z_]+\\s*\\(", "(")
                    .replaceAll("\\$\\w+", " ");
            Matcher m = Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(rest);
            while (m.find()) {
                if (!KEYWORDS.contains(m.group())) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    private static void collect(JsonNode node, String field, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals(field) && e.getValue().isString()) {
                    into.add(e.getValue().asString());
                } else {
                    collect(e.getValue(), field, into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, field, into));
        }
    }
}
