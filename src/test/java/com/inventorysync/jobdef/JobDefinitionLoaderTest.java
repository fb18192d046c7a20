package com.inventorysync.jobdef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.inventorysync.jobdef.JobDefinition.MissingKeyPolicy;
import com.inventorysync.jobdef.JobDefinition.QuantityPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
    void concurrencyIsACeilingWithAdaptationOnAndRateLimitsAreOptionalPerTarget() throws IOException {
        JobDefinition plain = JobDefinitionLoader.load(write("""
                name: nightly
                omni: {policy: DELTA}
                """));
        assertThat(plain.adaptive()).isTrue();
        assertThat(plain.omni().rateLimit()).isZero();

        JobDefinition capped = JobDefinitionLoader.load(write("""
                name: capped
                source: {type: shipedge, rate-limit: 2}
                omni: {rate-limit: 150}
                kibo: {rate-limit: 0.5, locations: {WH-00: Main}}
                adaptive: false
                """));
        assertThat(capped.adaptive()).isFalse();
        assertThat(capped.omni().rateLimit()).isEqualTo(150.0);
        assertThat(capped.kibo().rateLimit()).isEqualTo(0.5);
        assertThat(capped.source().rateLimit()).isEqualTo(2.0);
    }

    @Test
    void aRateLimitMustBePositiveAndACsvSourceHasNone() throws IOException {
        Path file = write("""
                name: nightly
                source: {type: csv, rate-limit: 10}
                omni: {rate-limit: 0}
                kibo: {rate-limit: -3, locations: {WH-00: Main}}
                """);
        assertThatThrownBy(() -> JobDefinitionLoader.load(file))
                .isInstanceOf(JobDefinitionException.class)
                .hasMessageContaining("source.rate-limit: only a shipedge source calls an API")
                .hasMessageContaining("omni.rate-limit must be a positive number of requests per second, was 0.0")
                .hasMessageContaining("kibo.rate-limit must be a positive number of requests per second, was -3.0");
    }

    @Test
    void everyShippedJobDefinitionLoadsAndAShipEdgeSourceTakesNoColumns() throws IOException {
        try (var files = Files.list(Path.of("jobs"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".yml")).map(JobDefinitionLoader::load))
                    .isNotEmpty()
                    .allSatisfy(job -> assertThat(job.name()).isNotBlank());
        }
        assertThat(JobDefinitionLoader.load(Path.of("jobs/shipedge-nightly.yml"))
                        .source()
                        .type())
                .isEqualTo(JobDefinition.SourceType.SHIPEDGE);
        Path file = write("""
                name: pulled
                source: {type: shipedge, columns: {sku: Item}}
                omni: {policy: ABSOLUTE, missing: KEEP}
                """);
        assertThatThrownBy(() -> JobDefinitionLoader.load(file))
                .hasMessageContaining("source.columns: a shipedge source has fixed fields");
    }

    /** Every numeric setting of a job file, with a valid value; each test below spoils one of them. */
    private static final Map<String, String> NUMERIC_SETTINGS = Map.of(
            "guard.max-changed-share",
            "0.5",
            "guard.max-zeroed-share",
            "0.2",
            "skip-limit",
            "1000",
            "chunk-size",
            "500",
            "concurrency",
            "16",
            "kibo.max-items",
            "12000",
            "kibo.batch-size",
            "3000",
            "pools[0].buffer",
            "5",
            "reconcile.tolerance",
            "0",
            "reconcile.alert-threshold",
            "0");

    private static String jobWith(String key, String value) {
        Map<String, String> v = new HashMap<>(NUMERIC_SETTINGS);
        v.put(key, value);
        return """
                name: nightly
                omni: {policy: ABSOLUTE, missing: ZERO}
                kibo: {max-items: %s, batch-size: %s, locations: {WH-00: Main}}
                guard: {max-changed-share: %s, max-zeroed-share: %s}
                skip-limit: %s
                chunk-size: %s
                concurrency: %s
                pools:
                  - {group: WEB, name: WEB-EAST, members: [WH-00], buffer: %s}
                reconcile:
                  tolerance: %s
                  alert-threshold: %s
                """.formatted(
                        v.get("kibo.max-items"),
                        v.get("kibo.batch-size"),
                        v.get("guard.max-changed-share"),
                        v.get("guard.max-zeroed-share"),
                        v.get("skip-limit"),
                        v.get("chunk-size"),
                        v.get("concurrency"),
                        v.get("pools[0].buffer"),
                        v.get("reconcile.tolerance"),
                        v.get("reconcile.alert-threshold"));
    }

    @Test
    void theSettingsUsedToSpoilNumbersLoadAsWritten() throws IOException {
        JobDefinition d = JobDefinitionLoader.load(write(jobWith("skip-limit", "1000")));
        assertThat(d.guard().maxZeroedShare()).isEqualTo(0.2);
        assertThat(d.kibo().batchSize()).isEqualTo(3000);
        assertThat(d.pools())
                .singleElement()
                .satisfies(p -> assertThat(p.buffer()).isEqualTo(5));
        assertThat(d.reconcile().alertThreshold()).isZero();
    }

    static Stream<Arguments> nonFiniteNumbers() {
        List<String> values =
                List.of(".nan", ".NaN", "NaN", "\"NaN\"", ".inf", "-.inf", "+.inf", "Infinity", "-Infinity", "1e400");
        return NUMERIC_SETTINGS.keySet().stream()
                .sorted()
                .flatMap(key -> values.stream().map(value -> Arguments.of(key, value)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("nonFiniteNumbers")
    void nanAndInfinityAreRefusedInEveryNumericSettingNamingFileAndKey(String key, String value) throws IOException {
        Path file = write(jobWith(key, value));
        assertThatThrownBy(() -> JobDefinitionLoader.load(file))
                .isInstanceOf(JobDefinitionException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(key);
    }

    @Test
    void aYamlNanGuardShareIsReportedAsNotAFiniteNumberAtItsLine() throws IOException {
        Path file = write(jobWith("guard.max-zeroed-share", ".nan"));
        assertThatThrownBy(() -> JobDefinitionLoader.load(file))
                .hasMessage(
                        file
                                + ": line 4, column 55: guard.max-zeroed-share: not a finite number (NaN and infinity are refused)");
        Path quoted = write(jobWith("guard.max-zeroed-share", "NaN"));
        assertThatThrownBy(() -> JobDefinitionLoader.load(quoted))
                .hasMessage(quoted + ": guard.max-zeroed-share must be between 0 and 1, was NaN");
    }

    @Test
    void aFractionInAWholeNumberSettingIsRefusedNotCut() throws IOException {
        Path file = write(jobWith("chunk-size", "1.5"));
        assertThatThrownBy(() -> JobDefinitionLoader.load(file))
                .isInstanceOf(JobDefinitionException.class)
                .hasMessageContaining(file + ": line 6")
                .hasMessageContaining("chunk-size: ");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("job.yml");
        Files.writeString(file, yaml);
        return file;
    }
}
