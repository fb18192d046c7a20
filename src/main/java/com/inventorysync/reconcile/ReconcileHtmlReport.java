package com.inventorysync.reconcile;

import com.inventorysync.reconcile.ReconcileReport.GroupCount;
import com.inventorysync.reconcile.ReconcileReport.TrendPoint;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a run's report as one self-contained HTML page: a summary, an inline SVG chart of
 * discrepancies by pool and class, the largest discrepancies, and the trend over the job's runs.
 * Every value from outside (SKUs, locations, pool and job names) is HTML-escaped, and the page's
 * Content-Security-Policy forbids scripts and remote resources, so a hostile SKU stays text.
 */
public final class ReconcileHtmlReport {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private static final Map<DiscrepancyClass, String> COLORS = new EnumMap<>(Map.of(
            DiscrepancyClass.VIRTUAL_ABOVE_PHYSICAL, "#d7301f",
            DiscrepancyClass.PHYSICAL_MISSING, "#fc8d59",
            DiscrepancyClass.VIRTUAL_BELOW_PHYSICAL, "#2b8cbe",
            DiscrepancyClass.VIRTUAL_MISSING, "#7bccc4",
            DiscrepancyClass.LOCATION_NOT_IN_ANY_POOL, "#88419d",
            DiscrepancyClass.OMS_CHANGED_SINCE_SYNC, "#fdae61",
            DiscrepancyClass.MISSING_IN_OMS, "#8c6d31",
            DiscrepancyClass.NEVER_SYNCED, "#969696"));

    private ReconcileHtmlReport() {}

    public static String render(ReconcileReport r) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                """);
        h.append("<title>Reconciliation ")
                .append(esc(r.jobName()))
                .append(" #")
                .append(r.executionId())
                .append("</title>\n");
        h.append("""
                <style>
                body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px 32px;color:#222;max-width:1100px}
                h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
                .meta{color:#555;font-size:13px}
                .status{margin:14px 0;padding:10px 14px;border-radius:6px;font-weight:600}
                .ok{background:#e5f5e0;color:#1b5e20}.alert{background:#fde0dd;color:#8b1a1a}
                .cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:150px}
                .card .n{font-size:22px;font-weight:700}.card .l{font-size:12px;color:#555}
                table{border-collapse:collapse;font-size:13px;margin-top:4px}th,td{border-bottom:1px solid #eee;padding:4px 10px;text-align:left;vertical-align:top}
                th{background:#f6f6f6}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
                .sw{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}
                code{font-size:12px;overflow-wrap:anywhere}.muted{color:#777}
                table.top td{white-space:nowrap}table.top td.note{white-space:normal;color:#555;font-size:12px}
                table.top td.sku{white-space:normal;min-width:9em;max-width:22em}
                </style></head><body>
                """);
        h.append("<h1>Reconciliation report: ").append(esc(r.jobName())).append("</h1>\n");
        h.append("<div class=\"meta\">Execution ")
                .append(r.executionId())
                .append(" &middot; started ")
                .append(r.startedAt() == null ? "" : TIME.format(r.startedAt()))
                .append(" &middot; tolerance ")
                .append(r.tolerance())
                .append(" &middot; alert threshold ")
                .append(r.alertThreshold())
                .append(" &middot; all rows: <code>")
                .append(esc(r.csvFileName()))
                .append("</code></div>\n");

        summary(h, r);
        chart(h, r);
        top(h, r);
        trend(h, r);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, ReconcileReport r) {
        long total = r.total();
        if (r.overThreshold()) {
            h.append("<div class=\"status alert\">")
                    .append(total)
                    .append(plural(total, " discrepancy", " discrepancies"))
                    .append(": more than the alert threshold of ")
                    .append(r.alertThreshold())
                    .append("</div>\n");
        } else {
            h.append("<div class=\"status ok\">")
                    .append(total)
                    .append(plural(total, " discrepancy", " discrepancies"))
                    .append(": within the alert threshold of ")
                    .append(r.alertThreshold())
                    .append("</div>\n");
        }
        h.append("<div class=\"cards\">\n");
        card(
                h,
                r.units(Impact.OVERSELL_RISK),
                "units at oversell risk (" + r.count(Impact.OVERSELL_RISK) + " pool/SKU)");
        card(h, r.units(Impact.LOST_SALES), "units not offered: lost sales (" + r.count(Impact.LOST_SALES) + ")");
        card(h, r.count(Impact.DRIFT), "keys changed since the sync (" + r.units(Impact.DRIFT) + " units)");
        var s = r.sources();
        card(h, s.pools(), "pools compared");
        h.append("</div>\n");
        h.append("<p class=\"meta\">Compared ")
                .append(s.virtualCounts())
                .append(" virtual counts with ")
                .append(s.availableCounts())
                .append(" available counts, and ")
                .append(s.syncedPositions())
                .append(" synced positions with ")
                .append(s.onHandCounts())
                .append(" on-hand counts.</p>\n");

        h.append(
                "<table><tr><th>class</th><th>likely cost</th><th class=\"n\">count</th><th class=\"n\">units</th><th>meaning</th></tr>\n");
        for (DiscrepancyClass c : DiscrepancyClass.values()) {
            long n = r.countsByClass().getOrDefault(c, 0L);
            h.append("<tr")
                    .append(n == 0 ? " class=\"muted\"" : "")
                    .append("><td><span class=\"sw\" style=\"background:")
                    .append(COLORS.get(c))
                    .append("\"></span>")
                    .append(esc(c.label()))
                    .append("</td><td>")
                    .append(esc(c.impact().label()))
                    .append("</td><td class=\"n\">")
                    .append(n)
                    .append("</td><td class=\"n\">")
                    .append(r.unitsByClass().getOrDefault(c, 0L))
                    .append("</td><td>")
                    .append(esc(c.description()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void card(StringBuilder h, long n, String label) {
        h.append("<div class=\"card\"><div class=\"n\">")
                .append(n)
                .append("</div><div class=\"l\">")
                .append(esc(label))
                .append("</div></div>\n");
    }

    /** Horizontal stacked bars: one row per pool (or synced location), one segment per class. */
    private static void chart(StringBuilder h, ReconcileReport r) {
        h.append("<h2>Discrepancies by pool and class</h2>\n");
        Map<String, Map<DiscrepancyClass, Long>> rows = new LinkedHashMap<>();
        for (GroupCount g : r.byGroup()) {
            rows.computeIfAbsent(g.group(), k -> new EnumMap<>(DiscrepancyClass.class))
                    .merge(g.discrepancyClass(), g.count(), Long::sum);
        }
        if (rows.isEmpty()) {
            h.append("<p class=\"muted\">Nothing to chart: no discrepancies above the tolerance.</p>\n");
            return;
        }
        long max = rows.values().stream()
                .mapToLong(m -> m.values().stream().mapToLong(Long::longValue).sum())
                .max()
                .orElse(1);
        int labelWidth = 230, barWidth = 560, rowHeight = 24, top = 8;
        int height = top + rows.size() * rowHeight + 40;
        int width = labelWidth + barWidth + 70;
        h.append(
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"discrepancies by pool and class\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" font-family=\"system-ui,DejaVu Sans,sans-serif\" font-size=\"12\">\n");
        int y = top;
        for (var row : rows.entrySet()) {
            h.append("<text x=\"")
                    .append(labelWidth - 8)
                    .append("\" y=\"")
                    .append(y + 16)
                    .append("\" text-anchor=\"end\">")
                    .append(esc(shorten(row.getKey(), 34)))
                    .append("<title>")
                    .append(esc(row.getKey()))
                    .append("</title></text>\n");
            double x = labelWidth;
            long sum = 0;
            for (var seg : row.getValue().entrySet()) {
                double w = Math.max(1, barWidth * (double) seg.getValue() / max);
                h.append("<rect x=\"")
                        .append(fmt(x))
                        .append("\" y=\"")
                        .append(y + 4)
                        .append("\" width=\"")
                        .append(fmt(w))
                        .append("\" height=\"")
                        .append(rowHeight - 8)
                        .append("\" fill=\"")
                        .append(COLORS.get(seg.getKey()))
                        .append("\"><title>")
                        .append(esc(row.getKey()))
                        .append(": ")
                        .append(seg.getValue())
                        .append(' ')
                        .append(esc(seg.getKey().label()))
                        .append("</title></rect>\n");
                x += w;
                sum += seg.getValue();
            }
            h.append("<text x=\"")
                    .append(fmt(x + 6))
                    .append("\" y=\"")
                    .append(y + 16)
                    .append("\">")
                    .append(sum)
                    .append("</text>\n");
            y += rowHeight;
        }
        // legend: only the classes present
        int lx = labelWidth;
        int ly = y + 18;
        for (DiscrepancyClass c : DiscrepancyClass.values()) {
            if (r.countsByClass().getOrDefault(c, 0L) == 0) {
                continue;
            }
            if (lx + 150 > width) {
                lx = labelWidth;
                ly += 16;
            }
            h.append("<rect x=\"")
                    .append(lx)
                    .append("\" y=\"")
                    .append(ly - 9)
                    .append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(COLORS.get(c))
                    .append("\"/><text x=\"")
                    .append(lx + 14)
                    .append("\" y=\"")
                    .append(ly)
                    .append("\">")
                    .append(esc(c.label()))
                    .append("</text>\n");
            lx += 165;
        }
        h.append("</svg>\n");
        // grow the picture if the legend wrapped
        int needed = ly + 8;
        if (needed > height) {
            int at = h.lastIndexOf("<svg ");
            String svg = h.substring(at)
                    .replaceFirst("height=\"" + height + "\"", "height=\"" + needed + "\"")
                    .replaceFirst(
                            "viewBox=\"0 0 " + width + " " + height + "\"",
                            "viewBox=\"0 0 " + width + " " + needed + "\"");
            h.setLength(at);
            h.append(svg);
        }
    }

    private static void top(StringBuilder h, ReconcileReport r) {
        h.append("<h2>Largest discrepancies</h2>\n");
        if (r.top().isEmpty()) {
            h.append("<p class=\"muted\">None.</p>\n");
            return;
        }
        h.append(
                        "<table class=\"top\"><tr><th>class</th><th>pool</th><th>location</th><th>SKU</th><th class=\"n\">expected</th>")
                .append(
                        "<th class=\"n\">OMS reports</th><th class=\"n\">difference</th><th class=\"n\">relative</th><th>note</th></tr>\n");
        for (Discrepancy d : r.top()) {
            h.append("<tr><td><span class=\"sw\" style=\"background:")
                    .append(COLORS.get(d.discrepancyClass()))
                    .append("\"></span>")
                    .append(esc(d.discrepancyClass().label()))
                    .append("</td><td>")
                    .append(d.poolName() == null ? "" : esc(d.poolGroup() + " / " + d.poolName()))
                    .append("</td><td>")
                    .append(esc(d.location()))
                    .append("</td><td class=\"sku\"><code>")
                    .append(esc(d.sku()))
                    .append("</code></td><td class=\"n\">")
                    .append(d.expected() == null ? "&ndash;" : d.expected())
                    .append("</td><td class=\"n\">")
                    .append(d.actual() == null ? "&ndash;" : d.actual())
                    .append("</td><td class=\"n\">")
                    .append(d.difference() > 0 ? "+" : "")
                    .append(d.difference())
                    .append("</td><td class=\"n\">")
                    .append(d.relative() == null ? "&ndash;" : String.format(Locale.ROOT, "%.0f%%", 100 * d.relative()))
                    .append("</td><td class=\"note\">")
                    .append(esc(d.detail()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        long total = r.total();
        if (total > r.top().size()) {
            h.append("<p class=\"meta\">")
                    .append(r.top().size())
                    .append(" of ")
                    .append(total)
                    .append(" shown; every row is in <code>")
                    .append(esc(r.csvFileName()))
                    .append("</code>.</p>\n");
        }
    }

    private static void trend(StringBuilder h, ReconcileReport r) {
        h.append("<h2>Trend over this job's runs</h2>\n");
        List<TrendPoint> points = r.trend();
        if (points.size() < 2) {
            h.append("<p class=\"muted\">This is the job's first recorded run: no trend yet.</p>\n");
            return;
        }
        long max =
                Math.max(1, points.stream().mapToLong(TrendPoint::total).max().orElse(1));
        int w = 560, ht = 140, left = 40, bottom = 20;
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"discrepancies per run\" width=\"")
                .append(w + left + 20)
                .append("\" height=\"")
                .append(ht + bottom + 10)
                .append("\" font-family=\"system-ui,DejaVu Sans,sans-serif\" font-size=\"11\">\n");
        h.append("<line x1=\"")
                .append(left)
                .append("\" y1=\"")
                .append(ht)
                .append("\" x2=\"")
                .append(left + w)
                .append("\" y2=\"")
                .append(ht)
                .append("\" stroke=\"#999\"/><text x=\"")
                .append(left - 6)
                .append("\" y=\"14\" text-anchor=\"end\">")
                .append(max)
                .append("</text><text x=\"")
                .append(left - 6)
                .append("\" y=\"")
                .append(ht)
                .append("\" text-anchor=\"end\">0</text>\n");
        List<String> xy = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            double x = left + (points.size() == 1 ? 0 : (double) w * i / (points.size() - 1));
            double y = ht - (ht - 10) * (double) points.get(i).total() / max;
            xy.add(fmt(x) + "," + fmt(y));
        }
        h.append("<polyline fill=\"none\" stroke=\"#2b8cbe\" stroke-width=\"2\" points=\"")
                .append(String.join(" ", xy))
                .append("\"/>\n");
        for (int i = 0; i < points.size(); i++) {
            String[] p = xy.get(i).split(",");
            TrendPoint t = points.get(i);
            h.append("<circle cx=\"")
                    .append(p[0])
                    .append("\" cy=\"")
                    .append(p[1])
                    .append("\" r=\"3.5\" fill=\"#2b8cbe\"><title>#")
                    .append(t.executionId())
                    .append(": ")
                    .append(t.total())
                    .append("</title></circle>\n");
            h.append("<text x=\"")
                    .append(p[0])
                    .append("\" y=\"")
                    .append(ht + 14)
                    .append("\" text-anchor=\"middle\">#")
                    .append(t.executionId())
                    .append("</text>\n");
        }
        h.append("</svg>\n");
        h.append(
                        "<table><tr><th>execution</th><th>started</th><th class=\"n\">discrepancies</th><th class=\"n\">oversell risk</th>")
                .append(
                        "<th class=\"n\">lost sales</th><th class=\"n\">drift since sync</th><th class=\"n\">change</th></tr>\n");
        for (int i = points.size() - 1; i >= 0; i--) {
            TrendPoint t = points.get(i);
            String change = i == 0 ? "" : signed(t.total() - points.get(i - 1).total());
            h.append("<tr><td>#")
                    .append(t.executionId())
                    .append(t.executionId() == r.executionId() ? " (this run)" : "")
                    .append("</td><td>")
                    .append(t.startedAt() == null ? "" : TIME.format(t.startedAt()))
                    .append("</td><td class=\"n\">")
                    .append(t.total())
                    .append("</td><td class=\"n\">")
                    .append(t.oversellRisk())
                    .append("</td><td class=\"n\">")
                    .append(t.lostSales())
                    .append("</td><td class=\"n\">")
                    .append(t.drift())
                    .append("</td><td class=\"n\">")
                    .append(change)
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    /** HTML-escapes text for element content and quoted attribute values. Null becomes empty. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // control characters other than tab and newlines are not allowed in HTML text
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append("&#xFFFD;");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    private static String plural(long n, String one, String many) {
        return n == 1 ? one : many;
    }

    private static String signed(long n) {
        return n > 0 ? "+" + n : Long.toString(n);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
