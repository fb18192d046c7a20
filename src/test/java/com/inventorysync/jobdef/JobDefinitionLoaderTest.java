package com.inventorysync.jobdef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.inventorysync.jobdef.JobDefinition.MissingKeyPolicy;
import com.inventorysync.jobdef.JobDefinition.QuantityPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobDefinitionLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheDocumentedKeysAndFillsDefaults() throws IOException {
        Path file = write("""
                name: nightly
                source:
                  type: csv
                  columns: {sku: Item, location: Site, on_hand: Qty}
                omni:
                  policy: ABSOLUTE
                  location-policies: {STORE-01: DELTA}
                  missing: KEEP
                guard: {max-changed-share: 0.5, max-zeroed-share: 0.2}
                skip-limit: 1000
                chunk-size: 500
                concurrency: 16
                """);
        JobDefinition d = JobDefinitionLoader.load(file);
        assertThat(d.name()).isEqualTo("nightly");
        assertThat(d.source().columns()).containsEntry("sku", "Item").containsEntry("upc", "upc");
        assertThat(d.omni().policyFor("STORE-01")).isEqualTo(QuantityPolicy.DELTA);
        assertThat(d.omni().policyFor("WH-00")).isEqualTo(QuantityPolicy.ABSOLUTE);
        assertThat(d.omni().missing()).isEqualTo(MissingKeyPolicy.KEEP);
        assertThat(d.kibo()).isNull();
        assertThat(d.reconcile().tolerance()).isZero();
    }

    @Test
    void anUnknownKeyIsAnErrorNamingFileAndLine() throws IOException {
        Path file = write("""
                name: nightly
                omni:
                  polcy: DELTA
                """);
        assertThatThrownBy(() -> JobDefinitionLoader.load(file))
                .isInstanceOf(JobDefinitionException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 3")
                .hasMessageContaining("'polcy'");
    }

    @Test
    void outOfRangeValuesAreAllReported() throws IOException {
        Path file = write("""
                name: nightly
                chunk-size: 0
                kibo: {max-items: 20000, locations: {WH-00: Main}}
                """);
        assertThatThrownBy(() -> JobDefinitionLoader.load(file))
                .hasMessageContaining("chunk-size must be between 1 and 10000, was 0")
                .hasMessageContaining("kibo.max-items must be between 1 and 12000, was 20000");
    }

    @Test
    void everyShippedJobDefinitionLoadsAndAShipEdgeSourceTakesNoColumns() throws IOException {
        try (var files = Files.list(Path.of("jobs"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".yml")).map(JobDefinitionLoader::load))
                    .isNotEmpty().allSatisfy(job -> assertThat(job.name()).isNotBlank());
        }
        assertThat(JobDefinitionLoader.load(Path.of("jobs/shipedge-nightly.yml")).source().type())
                .isEqualTo(JobDefinition.SourceType.SHIPEDGE);
        Path file = write("""
                name: pulled
                source: {type: shipedge, columns: {sku: Item}}
                omni: {policy: ABSOLUTE, missing: KEEP}
                """);
        assertThatThrownBy(() -> JobDefinitionLoader.load(file))
                .hasMessageContaining("source.columns: a shipedge source has fixed fields");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("job.yml");
        Files.writeString(file, yaml);
        return file;
    }
}
