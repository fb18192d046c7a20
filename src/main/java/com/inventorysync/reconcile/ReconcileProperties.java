package com.inventorysync.reconcile;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Reconciliation settings ({@code inventory-sync.reconcile.*}).
 *
 * @param outputDir where each run's reports go, as <outputDir>/<job>/reconcile-<execution>/
 * @param pageSize  items per page asked of the OMS (1 to 1000, the contract's maximum)
 * @param trendRuns how many of the job's runs the report's trend shows
 * @param topRows   how many of the largest discrepancies the HTML report lists
 */
@Validated
@ConfigurationProperties("inventory-sync.reconcile")
public record ReconcileProperties(
        @DefaultValue("out") @NotNull Path outputDir,
        @DefaultValue("1000") @Min(1) @Max(1000) int pageSize,
        @DefaultValue("30") @Positive int trendRuns,
        @DefaultValue("50") @Positive int topRows) {}
