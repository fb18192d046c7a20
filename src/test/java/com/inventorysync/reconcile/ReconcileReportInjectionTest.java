package com.inventorysync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.reconcile.ReconcileReport.GroupCount;
import com.inventorysync.reconcile.ReconcileReport.Sources;
import com.inventorysync.reconcile.ReconcileReport.TrendPoint;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SKUs and names come from systems this product does not control: they must come out inert. */
class ReconcileReportInjectionTest {
    static final String FORMULA_SKU = "=HYPERLINK(\"http://evil.example/x\",\"x\")";
    static final String SCRIPT_SKU = "<script>alert(1)</script>";
    static final String QUOTE_SKU = "\"><img src=x onerror=alert(2)>";

    private final DiscrepancyClassifier classifier = new DiscrepancyClassifier(0);

    @Test
    void csvCellsThatAFormulaCouldStartWithAreQuotedAsText() throws Exception {
        StringWriter out = new StringWriter();
        try (ReconcileCsvWriter csv = new ReconcileCsvWriter(out)) {
            csv.write(classifier.pool("WEB", "@SUM(A1)", FORMULA_SKU, 9, 3L, 0).orElseThrow());
            csv.write(classifier.synced("+cmd|' /C calc'!A0", "-2+3", 5, 1).orElseThrow());
            csv.write(classifier.synced("\tWH", "\rSKU", 5, 1).orElseThrow());
            csv.write(classifier.synced("WH-00", "  =1+1", 5, 1).orElseThrow());
            csv.write(classifier.synced("WH-00", SCRIPT_SKU, 5, 1).orElseThrow());
        }
        // keepCarriageReturn: a CR inside a quoted cell must come back as written
        List<String[]> rows = new CSVReaderBuilder(new StringReader(out.toString()))
                .withKeepCarriageReturn(true)
                .build()
                .readAll();
        assertThat(rows.get(0)).containsExactly(ReconcileCsvWriter.HEADER);
        String[] formula = rows.get(1);
        assertThat(formula[6]).isEqualTo("'" + FORMULA_SKU);
        assertThat(formula[4]).isEqualTo("'@SUM(A1)");
        assertThat(rows.get(2)[5]).isEqualTo("'+cmd|' /C calc'!A0");
        assertThat(rows.get(2)[6]).isEqualTo("'-2+3");
        assertThat(rows.get(3)[5]).isEqualTo("'\tWH");
        assertThat(rows.get(3)[6]).isEqualTo("'\rSKU");
        assertThat(rows.get(4)[6]).isEqualTo("'  =1+1");
        assertThat(rows.get(5)[6]).isEqualTo(SCRIPT_SKU);
        for (String[] row : rows.subList(1, rows.size())) {
            for (String cell : row) {
                assertThat(cell)
                        .doesNotMatch("(?s)^\\s*[=+\\-@].*")
                        .doesNotStartWith("\t")
                        .doesNotStartWith("\r");
            }
        }
    }

    @Test
    void csvNumbersAreNeverNegativeSoTheyStayNumbers() throws Exception {
        StringWriter out = new StringWriter();
        try (ReconcileCsvWriter csv = new ReconcileCsvWriter(out)) {
            csv.write(classifier.synced("WH-00", "S", 10, 3).orElseThrow());
        }
        String[] row = new CSVReader(new StringReader(out.toString())).readAll().get(1);
        assertThat(row)
                .containsExactly(
                        "SYNCED",
                        "OMS_CHANGED_SINCE_SYNC",
                        "DRIFT",
                        "",
                        "",
                        "WH-00",
                        "S",
                        "10",
                        "3",
                        "below",
                        "7",
                        "0.7000",
                        "");
    }

    @Test
    void htmlShowsHostileValuesAsTextAndRunsNoScript() {
        Discrepancy formula =
                classifier.pool("WEB", "WEB-EAST", FORMULA_SKU, 9, 3L, 0).orElseThrow();
        Discrepancy script = classifier.synced("WH-00", SCRIPT_SKU, 5, 1).orElseThrow();
        Discrepancy attr =
                classifier.pool("<b>G</b>", "P&P", QUOTE_SKU, 1, 3L, 0).orElseThrow();
        ReconcileReport report = new ReconcileReport(
                "<script>job</script>",
                7,
                Instant.parse("2026-11-23T06:00:00Z"),
                0,
                0,
                new Sources(1, 3, 4, 5, 6),
                Map.of(
                        DiscrepancyClass.VIRTUAL_ABOVE_PHYSICAL,
                        1L,
                        DiscrepancyClass.OMS_CHANGED_SINCE_SYNC,
                        1L,
                        DiscrepancyClass.VIRTUAL_BELOW_PHYSICAL,
                        1L),
                Map.of(
                        DiscrepancyClass.VIRTUAL_ABOVE_PHYSICAL,
                        6L,
                        DiscrepancyClass.OMS_CHANGED_SINCE_SYNC,
                        4L,
                        DiscrepancyClass.VIRTUAL_BELOW_PHYSICAL,
                        2L),
                List.of(
                        new GroupCount("WEB / WEB-EAST", DiscrepancyClass.VIRTUAL_ABOVE_PHYSICAL, 1),
                        new GroupCount("<b>G</b> / P&P", DiscrepancyClass.VIRTUAL_BELOW_PHYSICAL, 1),
                        new GroupCount("synced at <img src=x>", DiscrepancyClass.OMS_CHANGED_SINCE_SYNC, 1)),
                List.of(formula, script, attr),
                List.of(
                        new TrendPoint(6, Instant.parse("2026-11-22T06:00:00Z"), 5, 2, 2, 1),
                        new TrendPoint(7, Instant.parse("2026-11-23T06:00:00Z"), 3, 1, 1, 1)),
                "report.csv");

        String html = ReconcileHtmlReport.render(report);

        assertThat(html)
                .doesNotContainIgnoringCase("<script")
                .doesNotContain("<img")
                .doesNotContain("<b>");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).contains("&lt;script&gt;job&lt;/script&gt;");
        assertThat(html).contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
        assertThat(html).contains("=HYPERLINK(&quot;http://evil.example/x&quot;,&quot;x&quot;)");
        assertThat(html).contains("&lt;b&gt;G&lt;/b&gt; / P&amp;P");
        assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
    }

    @Test
    void htmlHasTheSummaryChartTopTableAndTrend() {
        Discrepancy d = classifier.pool("WEB", "WEB-EAST", "SKU-1", 20, 12L, 0).orElseThrow();
        ReconcileReport report = new ReconcileReport(
                "nightly",
                12,
                Instant.parse("2026-11-23T06:00:00Z"),
                0,
                0,
                new Sources(2, 10, 20, 30, 40),
                Map.of(DiscrepancyClass.VIRTUAL_ABOVE_PHYSICAL, 1L),
                Map.of(DiscrepancyClass.VIRTUAL_ABOVE_PHYSICAL, 8L),
                List.of(new GroupCount("WEB / WEB-EAST", DiscrepancyClass.VIRTUAL_ABOVE_PHYSICAL, 1)),
                List.of(d),
                List.of(
                        new TrendPoint(11, Instant.parse("2026-11-22T06:00:00Z"), 4, 2, 2, 0),
                        new TrendPoint(12, Instant.parse("2026-11-23T06:00:00Z"), 1, 1, 0, 0)),
                "report.csv");

        String html = ReconcileHtmlReport.render(report);

        assertThat(report.overThreshold()).isTrue();
        assertThat(html).contains("1 discrepancy: more than the alert threshold of 0");
        assertThat(html.indexOf("status alert")).isLessThan(html.indexOf("<svg"));
        assertThat(html).contains("aria-label=\"discrepancies by pool and class\"");
        assertThat(html).contains(">8</div><div class=\"l\">units at oversell risk");
        assertThat(html).contains("<code>SKU-1</code>").contains("+8").contains("67%");
        assertThat(html)
                .contains("aria-label=\"discrepancies per run\"")
                .contains("#12 (this run)")
                .contains(">-3<");
    }
}
