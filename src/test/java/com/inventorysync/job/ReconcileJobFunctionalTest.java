package com.inventorysync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.inventorysync.cli.ExitCode;
import com.inventorysync.cli.ReconcileCommand;
import com.inventorysync.reconcile.Discrepancy;
import com.inventorysync.reconcile.DiscrepancyClass;
import com.inventorysync.reconcile.ReconcileRepository;
import com.inventorysync.sandbox.RequestRecord;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.support.SyncTestEnvironment;
import com.opencsv.CSVReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The reconcile job against the sandbox over HTTP and PostgreSQL, with drift seeded in code: every
 * injected discrepancy is found with its class and size, and nothing else; requests stay within the
 * contract's limits and are paged to the end.
 */
@SpringBootTest
class ReconcileJobFunctionalTest {
    static final int SKUS = 40;
    static final int PAGE_SIZE = 7;
    static final String FORMULA_SKU = "=HYPERLINK(\"http://evil.example\",\"x\")";
    static final String SCRIPT_SKU = "<script>alert(1)</script>";
    static final List<String> MANY_STORES =
            IntStream.rangeClosed(10, 64).mapToObj(i -> "S-" + i).toList();

    @RegisterExtension
    static final SyncTestEnvironment env = SyncTestEnvironment.sandbox(seed())
            .omni()
            .output(SyncTestEnvironment.RECONCILE_OUTPUT, "")
            .with("inventory-sync.reconcile.page-size", Integer.toString(PAGE_SIZE))
            .with("inventory-sync.http.initial-backoff", "5ms")
            .with("inventory-sync.http.max-backoff", "20ms");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        env.registerWith(registry);
    }

    @Autowired
    ReconcileCommand command;

    @Autowired
    ReconcileRepository repository;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path jobs;

    static int onHand(int sku, String location) {
        return switch (location) {
            case "WH-00" -> 20 + sku;
            case "WH-01" -> 30 + sku;
            case "STORE-01" -> 5 + sku % 4;
            default -> 8 + sku % 5;
        };
    }

    static String sku(int i) {
        return String.format(Locale.ROOT, "SKU-%03d", i);
    }

    /**
     * Six pools in five groups. Drift: +4, -6, +1, -2 on four pool/SKUs, and +3, +2, +1 on SKUs no
     * member holds (two with hostile names). WH-09 is active and in no pool; WH-08 is inactive.
     */
    static SandboxSeed seed() {
        SandboxSeed.Builder b = SandboxSeed.builder()
                .acceptUnknownSkus(true)
                .location("WH-00", "Warehouse")
                .location("WH-01", "Warehouse")
                .location("WH-09", "Warehouse")
                .location(new SandboxSeed.Location("WH-08", "WH-08", "Warehouse", false))
                .location("STORE-01", "Store")
                .location("STORE-02", "Store")
                .location("STORE-03", "Store");
        MANY_STORES.forEach(s -> b.location(s, "Store").onHand("SKU-000", s, 1));
        for (int i = 0; i < SKUS; i++) {
            b.onHand(sku(i), "WH-00", onHand(i, "WH-00"), i % 3, i % 2);
            b.onHand(sku(i), "WH-01", onHand(i, "WH-01"), 1, 0);
            b.onHand(sku(i), "STORE-01", onHand(i, "STORE-01"));
            b.onHand(sku(i), "STORE-02", onHand(i, "STORE-02"));
        }
        b.onHand("SKU-100", "STORE-03", 4).onHand("SKU-101", "STORE-03", 1);
        b.onHand("SKU-000", "WH-09", 7, 2, 0);
        b.onHand("SKU-000", "WH-08", 50);
        List<String> allStores = new ArrayList<>(List.of("STORE-01", "STORE-02"));
        allStores.addAll(MANY_STORES);
        b.pool("WEB", "WEB-EAST", 5, "WH-00", "STORE-01")
                .pool("WEB", "WEB-WEST", 0, "WH-01", "STORE-02")
                .pool("MARKET", "AMAZON", 10, "WH-00", "WH-01")
                .pool("STORES", "ALL-STORES", 2, allStores.toArray(String[]::new))
                .pool("B2B", "WHOLESALE", 0, "WH-01")
                .pool("OUTLET", "OUTLET", 1, "STORE-02");
        b.drift("WEB", "WEB-EAST", "SKU-003", 4)
                .drift("WEB", "WEB-WEST", "SKU-010", -6)
                .drift("MARKET", "AMAZON", "SKU-020", 1)
                .drift("OUTLET", "OUTLET", "SKU-005", -2)
                .drift("B2B", "WHOLESALE", "SKU-999", 3)
                .drift("WEB", "WEB-EAST", FORMULA_SKU, 2)
                .drift("WEB", "WEB-EAST", SCRIPT_SKU, 1);
        return b.build();
    }

    /** The job file: the sandbox's pools plus WEB/POPUP, which the OMS does not know. */
    Path jobFile(int tolerance, int alertThreshold) throws Exception {
        return jobFile(jobs, tolerance, alertThreshold);
    }

    static Path jobFile(Path jobs, int tolerance, int alertThreshold) throws Exception {
        String stores = String.join(", ", MANY_STORES);
        Path file = jobs.resolve("reconcile-" + tolerance + "-" + alertThreshold + ".yml");
        Files.writeString(file, """
                name: reconcile-test
                pools:
                  - {group: WEB, name: WEB-EAST, members: [WH-00, STORE-01], buffer: 5}
                  - {group: WEB, name: WEB-WEST, members: [WH-01, STORE-02]}
                  - {group: WEB, name: POPUP, members: [STORE-03], buffer: 1}
                  - {group: MARKET, name: AMAZON, members: [WH-00, WH-01], buffer: 10}
                  - {group: STORES, name: ALL-STORES, members: [STORE-01, STORE-02, %s], buffer: 2}
                  - {group: B2B, name: WHOLESALE, members: [WH-01]}
                  - {group: OUTLET, name: OUTLET, members: [STORE-02], buffer: 1}
                reconcile:
                  tolerance: %d
                  alert-threshold: %d
                """.formatted(stores, tolerance, alertThreshold));
        return file;
    }

    /**
     * The last sync wrote every key at WH-00 as the OMS holds it, except: SKU-007 was synced as 30
     * (the OMS holds 27), SKU-050 was synced as 9 (the OMS holds none), SKU-008 was never synced.
     * Kibo's positions are not Omni's business.
     */
    @BeforeEach
    void lastSync() {
        lastSync(jdbc);
    }

    static void lastSync(JdbcTemplate jdbc) {
        jdbc.update("delete from synced_position");
        Timestamp now = Timestamp.from(Instant.now());
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < SKUS; i++) {
            if (i == 8) {
                continue;
            }
            rows.add(new Object[] {"omni", sku(i), "WH-00", i == 7 ? 30 : onHand(i, "WH-00"), now});
            rows.add(new Object[] {"kibo", sku(i), "WH-00", 1000, now});
        }
        rows.add(new Object[] {"omni", "SKU-050", "WH-00", 9, now});
        jdbc.batchUpdate(
                "insert into synced_position (target, sku, location, quantity, updated_at) values (?, ?, ?, ?, ?)",
                rows);
    }

    @Test
    void findsEveryInjectedDiscrepancyWithItsClassAndSizeAndNothingElse() throws Exception {
        Run run = reconcile(jobFile(0, 0));

        assertThat(run.exitCode()).isEqualTo(ExitCode.DISCREPANCIES_OVER_THRESHOLD);
        assertThat(run.discrepancies())
                .extracting(
                        Discrepancy::discrepancyClass,
                        Discrepancy::poolGroup,
                        Discrepancy::poolName,
                        Discrepancy::location,
                        Discrepancy::sku,
                        Discrepancy::difference)
                .containsExactlyInAnyOrder(
                        tuple(DiscrepancyClass.VIRTUAL_ABOVE_PHYSICAL, "WEB", "WEB-EAST", null, "SKU-003", 4),
                        tuple(DiscrepancyClass.VIRTUAL_BELOW_PHYSICAL, "WEB", "WEB-WEST", null, "SKU-010", -6),
                        tuple(DiscrepancyClass.VIRTUAL_ABOVE_PHYSICAL, "MARKET", "AMAZON", null, "SKU-020", 1),
                        tuple(DiscrepancyClass.VIRTUAL_BELOW_PHYSICAL, "OUTLET", "OUTLET", null, "SKU-005", -2),
                        tuple(DiscrepancyClass.PHYSICAL_MISSING, "B2B", "WHOLESALE", null, "SKU-999", 3),
                        tuple(DiscrepancyClass.PHYSICAL_MISSING, "WEB", "WEB-EAST", null, FORMULA_SKU, 2),
                        tuple(DiscrepancyClass.PHYSICAL_MISSING, "WEB", "WEB-EAST", null, SCRIPT_SKU, 1),
                        tuple(DiscrepancyClass.VIRTUAL_MISSING, "WEB", "POPUP", null, "SKU-100", -3),
                        tuple(DiscrepancyClass.LOCATION_NOT_IN_ANY_POOL, null, null, "WH-09", null, -5),
                        tuple(DiscrepancyClass.OMS_CHANGED_SINCE_SYNC, null, null, "WH-00", "SKU-007", -3),
                        tuple(DiscrepancyClass.MISSING_IN_OMS, null, null, "WH-00", "SKU-050", -9),
                        tuple(DiscrepancyClass.NEVER_SYNCED, null, null, "WH-00", "SKU-008", 28));
        Discrepancy above = run.discrepancies().stream()
                .filter(d -> "SKU-003".equals(d.sku()))
                .findFirst()
                .orElseThrow();
        int expected = Math.max(0, (20 + 3 - 0 - 1) + (5 + 3) - 5);
        assertThat(above.expected()).isEqualTo(expected);
        assertThat(above.actual()).isEqualTo(expected + 4);
        assertThat(above.relative()).isEqualTo(4.0 / expected);

        assertThat(run.discrepancies())
                .filteredOn(d -> d.discrepancyClass() == DiscrepancyClass.OMS_CHANGED_SINCE_SYNC)
                .singleElement()
                .satisfies(
                        d -> assertThat(d.detail()).startsWith("last synced 20").endsWith("UTC"));
        assertThat(run.discrepancies())
                .filteredOn(d -> d.discrepancyClass() == DiscrepancyClass.NEVER_SYNCED)
                .singleElement()
                .satisfies(d -> assertThat(d.detail()).isNull());
        assertThat(run.output())
                .contains("execution " + run.executionId())
                .contains("12 discrepancies")
                .contains("virtual above physical")
                .contains("reports: ");
        // every virtual count of the six pools was read, over many pages: 40 SKUs x 6 pools + 3 drifted SKUs
        assertThat(jdbc.queryForObject(
                        "select virtual_counts from reconcile_run where execution_id = ?",
                        Long.class,
                        run.executionId()))
                .isEqualTo(SKUS * 6 + 3);
    }

    @Test
    void staysWithinTheContractsLimitsAndPagesToTheEnd() throws Exception {
        reconcile(jobFile(0, 0));

        List<RequestRecord> virtual = requests("omni.virtual.get");
        List<RequestRecord> available = requests("omni.available.get");
        assertThat(virtual).isNotEmpty().allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(params(r, "inventoryPoolGroupNames")).hasSizeBetween(1, 4);
            assertThat(params(r, "skus")).isEmpty();
        });
        assertThat(virtual.stream()
                        .flatMap(r -> params(r, "inventoryPoolGroupNames").stream())
                        .distinct())
                .containsExactlyInAnyOrder("WEB", "MARKET", "STORES", "B2B", "OUTLET");
        assertThat(virtual.stream()
                        .mapToInt(r -> Integer.parseInt(params(r, "pageNumber").get(0)))
                        .max()
                        .orElse(0))
                .isGreaterThan(10);
        assertThat(available).isNotEmpty().allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(params(r, "locationInternalNames")).hasSizeBetween(1, 50);
            assertThat(params(r, "pageSize")).containsExactly(String.valueOf(PAGE_SIZE));
        });
        // 61 active locations: two requests' worth; the inactive WH-08 is never asked for
        assertThat(available.stream()
                        .flatMap(r -> params(r, "locationInternalNames").stream())
                        .distinct())
                .hasSize(61)
                .doesNotContain("WH-08");
        assertThat(requests("omni.onhand.get"))
                .allSatisfy(r -> assertThat(params(r, "locationInternalNames")).containsExactly("WH-00"));
    }

    @Test
    void aSkuFilterIsSentAtMostSevenSkusPerVirtualRequestAndNarrowsEveryComparison() throws Exception {
        String skus = String.join(
                ",",
                IntStream.range(0, 10).mapToObj(ReconcileJobFunctionalTest::sku).toList());
        Run run = reconcile(jobFile(0, 0), "--skus", skus);

        List<RequestRecord> virtual = requests("omni.virtual.get");
        assertThat(virtual).allSatisfy(r -> {
            assertThat(params(r, "inventoryPoolGroupNames")).hasSizeBetween(1, 4);
            assertThat(params(r, "skus")).hasSizeBetween(1, 7);
        });
        assertThat(virtual.stream().flatMap(r -> params(r, "skus").stream()).distinct())
                .hasSize(10);
        assertThat(run.discrepancies())
                .extracting(
                        Discrepancy::discrepancyClass, Discrepancy::sku, Discrepancy::location, Discrepancy::difference)
                .containsExactlyInAnyOrder(
                        tuple(DiscrepancyClass.VIRTUAL_ABOVE_PHYSICAL, "SKU-003", null, 4),
                        tuple(DiscrepancyClass.VIRTUAL_BELOW_PHYSICAL, "SKU-005", null, -2),
                        tuple(DiscrepancyClass.LOCATION_NOT_IN_ANY_POOL, null, "WH-09", -5),
                        tuple(DiscrepancyClass.OMS_CHANGED_SINCE_SYNC, "SKU-007", "WH-00", -3),
                        tuple(DiscrepancyClass.NEVER_SYNCED, "SKU-008", "WH-00", 28));
    }

    @Test
    void withinToleranceAndThresholdExitsZeroAndThrottlingIsRetried() throws Exception {
        env.sandbox()
                .faults()
                .tooManyRequests("omni.virtual.get", 0.3, 0)
                .tooManyRequests("omni.available.get", 0.3, 0);

        Run run = reconcile(jobFile(1, 12));

        assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED);
        assertThat(run.output()).contains("10 discrepancies above tolerance 1: within the alert threshold 12");
        // the two differences of 1 (SKU-020 on MARKET/AMAZON, the script SKU) are within tolerance; the other ten
        // remain
        assertThat(run.discrepancies()).hasSize(10).noneMatch(d -> d.absolute() <= 1);
        assertThat(env.sandbox().requestLog()).anyMatch(r -> r.status() == 429);
    }

    @Test
    void reportsAreKeptPerExecutionWithHostileSkusInertAndATrend() throws Exception {
        Run first = reconcile(jobFile(0, 0));
        Run second = reconcile(jobFile(0, 0));

        Path folder = env.output().resolve("reconcile-test").resolve("reconcile-" + second.executionId());
        assertThat(env.output()
                        .resolve("reconcile-test")
                        .resolve("reconcile-" + first.executionId())
                        .resolve("report.csv"))
                .exists();
        List<String[]> rows;
        try (Reader in = Files.newBufferedReader(folder.resolve("report.csv"));
                CSVReader csv = new CSVReader(in)) {
            rows = csv.readAll();
        }
        assertThat(rows).hasSize(1 + 12);
        List<String> skus = rows.stream().map(r -> r[6]).toList();
        assertThat(skus).contains("'" + FORMULA_SKU, SCRIPT_SKU).doesNotContain(FORMULA_SKU);
        assertThat(rows.stream().flatMap(r -> Arrays.stream(r))).noneMatch(c -> c.matches("(?s)^\\s*[=+\\-@\\t\\r].*"));

        String html = Files.readString(folder.resolve("report.html"));
        assertThat(html)
                .doesNotContain("<script")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)");
        assertThat(html).contains("#" + first.executionId()).contains("#" + second.executionId() + " (this run)");
        // the staging of both runs is gone; their discrepancies and run records stay
        assertThat(jdbc.queryForObject("select count(*) from reconcile_virtual", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "select count(*) from reconcile_discrepancy where execution_id in (?, ?)",
                        Long.class,
                        first.executionId(),
                        second.executionId()))
                .isEqualTo(24);
    }

    @Test
    void aPoolMemberUnknownToTheOmsIsCountedAsZeroAndNamed() throws Exception {
        Path file = jobFile(0, 0);
        Files.writeString(
                file,
                Files.readString(file).replace("members: [WH-00, STORE-01]", "members: [WH-00, STORE-01, WH-GONE]"));

        Run run = reconcile(file);

        assertThat(run.output()).contains("pool members that are not active OMS locations (counted as 0): WH-GONE");
        assertThat(run.discrepancies()).hasSize(12);
        assertThat(requests("omni.available.get"))
                .noneMatch(r -> params(r, "locationInternalNames").contains("WH-GONE"));
    }

    @Test
    void anOmsThatStaysUnavailableFailsTheRunWithExitOneAndWritesNoReport() throws Exception {
        env.sandbox().faults().unavailable("omni.virtual.get", 1.0);

        Run run = reconcile(jobFile(0, 0));

        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(run.output())
                .contains("execution " + run.executionId() + " FAILED")
                .contains("503")
                .contains("run it again once the cause is fixed");
        assertThat(env.output().resolve("reconcile-test").resolve("reconcile-" + run.executionId()))
                .doesNotExist();
        assertThat(requests("omni.virtual.get")).hasSizeGreaterThan(1).allMatch(r -> r.status() == 503);
    }

    record Run(int exitCode, long executionId, String output, List<Discrepancy> discrepancies) {}

    Run reconcile(Path jobFile, String... more) {
        return reconcile(command, repository, jobFile, more);
    }

    static Run reconcile(ReconcileCommand command, ReconcileRepository repository, Path jobFile, String... more) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("--job", jobFile.toString()));
        args.addAll(List.of(more));
        int exit = command.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("execution (\\d+)").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        long id = Long.parseLong(m.group(1));
        return new Run(exit, id, output, repository.discrepancies(id));
    }

    static List<RequestRecord> requests(String endpoint) {
        return env.sandbox().requestLog().stream()
                .filter(r -> r.endpoint().equals(endpoint))
                .toList();
    }

    static List<String> params(RequestRecord r, String name) {
        if (r.query() == null) {
            return List.of();
        }
        return Arrays.stream(r.query().split("&"))
                .map(p -> p.split("=", 2))
                .filter(p -> p[0].equals(name))
                .map(p -> URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8))
                .toList();
    }
}
