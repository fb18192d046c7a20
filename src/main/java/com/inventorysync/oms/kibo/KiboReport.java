package com.inventorysync.oms.kibo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** A few human lines on what a run did at Kibo, for the run's summary and for {@code status}. */
@Component
public class KiboReport {
    private final KiboRequestStore store;

    public KiboReport(KiboRequestStore store) {
        this.store = store;
    }

    /** The Kibo lines of the latest {@code runs} runs that sent anything to Kibo, newest first, for {@code status}. */
    public List<String> recentRuns(int runs) {
        List<String> lines = new ArrayList<>();
        for (long runId : store.recentRuns(runs)) {
            lines.add("run " + runId + ":");
            lines.addAll(lines(runId).stream().map(l -> "  " + l).toList());
        }
        return lines;
    }

    /** Empty when the run had nothing to do with Kibo. */
    public List<String> lines(long runId) {
        List<KiboRequestStore.RequestRow> requests = store.requests(runId);
        Map<String, Long> items = new TreeMap<>(store.itemStates(runId));
        if (requests.isEmpty() && items.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        long accepted =
                requests.stream().filter(r -> r.state().equals("ACCEPTED")).count();
        long refused =
                requests.stream().filter(r -> r.state().equals("REFUSED")).count();
        long open = requests.stream()
                .filter(r -> r.state().equals("PENDING") || r.state().equals("POSTED"))
                .count();
        lines.add("Kibo: " + requests.size() + " refresh request(s): " + accepted + " accepted, " + refused
                + " refused, " + open + " not sent yet; items by state: " + (items.isEmpty() ? "none" : items));
        for (KiboRequestStore.RequestRow r : requests) {
            StringBuilder line = new StringBuilder("  request ")
                    .append(r.id())
                    .append(": ")
                    .append(r.location())
                    .append(" -> ")
                    .append(r.locationName())
                    .append(" #")
                    .append(r.seq())
                    .append(", ")
                    .append(r.itemCount())
                    .append(" items, ")
                    .append(r.state());
            if (r.jobId() != null) {
                line.append(", job ")
                        .append(r.jobId())
                        .append(' ')
                        .append(r.queueStatus() != null ? r.queueStatus() : "?");
                if (r.processedCount() != null) {
                    line.append(" (")
                            .append(r.processedCount())
                            .append(" processed, ")
                            .append(r.errorCount())
                            .append(" errors)");
                }
            }
            if (r.replacesId() != null) {
                line.append(", re-posts the rest of request ").append(r.replacesId());
            }
            if (r.state().equals("REFUSED") && r.vendorMessage() != null) {
                line.append(": ").append(r.vendorMessage());
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
