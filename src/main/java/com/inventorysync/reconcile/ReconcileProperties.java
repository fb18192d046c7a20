package com.inventorysync.reconcile;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Reconciliation settings ({@code inventory-sync.reconcile.*}).
 *
 * @param outputDir where each run's reports go, as {@code <outputDir>/<job>/reconcile-<execution>/}; default {@code ./out}
 * @param pageSize  items per page asked of the OMS (1 to 1000, the contract's maximum; default 1000)
 * @param trendRuns how many of the job's runs the report's trend shows (default 30)
 * @param topRows   how many of the largest discrepancies the HTML report lists (default 50)
 */
@ConfigurationProperties("inventory-sync.reconcile")
public record ReconcileProperties(Path outputDir, Integer pageSize, Integer trendRuns, Integer topRows) {
    public ReconcileProperties {
        outputDir = outputDir != null ? outputDir : Path.of("out");
        pageSize = pageSize != null ? pageSize : 1000;
        trendRuns = trendRuns != null ? trendRuns : 30;
        topRows = topRows != null ? topRows : 50;
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("inventory-sync.reconcile.page-size must be between 1 and 1000, was " + pageSize);
        }
    }
}
