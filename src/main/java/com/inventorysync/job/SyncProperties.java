package com.inventorysync.job;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the sync job itself ({@code inventory-sync.sync.*}).
 *
 * @param outputDir where each execution writes its reject file, plan and summary:
 *                  <output-dir>/<job name>/<execution id>/
 */
@Validated
@ConfigurationProperties("inventory-sync.sync")
public record SyncProperties(@DefaultValue("out") @NotNull Path outputDir) {}
