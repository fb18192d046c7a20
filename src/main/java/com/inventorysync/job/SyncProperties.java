package com.inventorysync.job;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sync job itself ({@code inventory-sync.sync.*}).
 *
 * @param outputDir where each execution writes its reject file, plan and summary:
 *                  {@code <output-dir>/<job name>/<execution id>/}
 */
@ConfigurationProperties("inventory-sync.sync")
public record SyncProperties(Path outputDir) {
    public SyncProperties {
        outputDir = outputDir != null ? outputDir : Path.of("out");
    }
}
