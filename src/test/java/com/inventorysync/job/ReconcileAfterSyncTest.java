package com.inventorysync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.ExitCode;
import com.inventorysync.cli.SyncCommand;
import com.inventorysync.reconcile.Comparison;
import com.inventorysync.reconcile.Discrepancy;
import com.inventorysync.reconcile.ReconcileRepository;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.support.SyncTestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code reconcile: {after-sync: true}}: the nightly sync ends with a reconciliation, whose verdict it reports. */
@SpringBootTest
class ReconcileAfterSyncTest {
    @RegisterExtension
    static final SyncTestEnvironment env = SyncTestEnvironment.sandbox(
                    SandboxSeed.load(Path.of("jobs/demo/sandbox-seed.json")))
            .omni()
            .output(SyncTestEnvironment.RECONCILE_OUTPUT, "reconcile")
            .output(SyncTestEnvironment.SYNC_OUTPUT, "sync");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        env.registerWith(registry);
    }

    @Autowired
    SyncCommand sync;

    @Autowired
    ReconcileRepository repository;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path jobs;

    @Test
    void theSyncEndsWithAReconciliationOfWhatItJustWrote() throws Exception {
        Path job = jobs.resolve("nightly.yml");
        Files.writeString(job, """
                name: nightly-with-reconcile
                omni: {policy: ABSOLUTE, missing: KEEP}
                pools:
                  - {group: WEB, name: WEB-EAST, members: [WH-00, STORE-01], buffer: 5}
                  - {group: WEB, name: WEB-WEST, members: [WH-01, STORE-02], buffer: 5}
                  - {group: STORES, name: STORES-ALL, members: [STORE-01, STORE-02], buffer: 0}
                reconcile: {tolerance: 0, alert-threshold: 0, after-sync: true}
                """);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int exit = sync.run(
                List.of("--job", job.toString(), "--snapshot", "jobs/demo/snapshot-day1.csv"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isEqualTo(ExitCode.DISCREPANCIES_OVER_THRESHOLD);
        Matcher m = Pattern.compile("reconcile nightly-with-reconcile: execution (\\d+) completed")
                .matcher(output);
        assertThat(m.find()).as(output).isTrue();
        List<Discrepancy> found = repository.discrepancies(Long.parseLong(m.group(1)));
        // what the sync just wrote is what the OMS holds; the demo seed's four drifted pool counts remain
        assertThat(found).hasSize(4).allMatch(d -> d.comparison() == Comparison.POOLS);
        assertThat(jdbc.queryForObject("select count(*) from synced_position where target = 'omni'", Long.class))
                .isPositive();
        assertThat(output)
                .contains("reports: " + env.output().resolve("reconcile").resolve("nightly-with-reconcile"));
    }
}
