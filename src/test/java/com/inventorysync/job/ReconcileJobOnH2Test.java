package com.inventorysync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.ExitCode;
import com.inventorysync.cli.ReconcileCommand;
import com.inventorysync.job.ReconcileJobFunctionalTest.Run;
import com.inventorysync.reconcile.DiscrepancyClass;
import com.inventorysync.reconcile.ReconcileRepository;
import com.inventorysync.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same reconciliation on the embedded H2 database the product uses when none is configured. */
@SpringBootTest
class ReconcileJobOnH2Test {
    static SandboxServer sandbox;

    @TempDir
    static Path outputDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "spring.datasource.url",
                () -> "jdbc:h2:mem:reconcile-" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
        sandbox = SandboxServer.start(ReconcileJobFunctionalTest.seed());
        registry.add("inventory-sync.omni.base-url", sandbox::omniBaseUrl);
        registry.add(
                "inventory-sync.omni.subscription-key",
                () -> sandbox.credentials().omniSubscriptionKey());
        registry.add("inventory-sync.reconcile.page-size", () -> ReconcileJobFunctionalTest.PAGE_SIZE);
        registry.add("inventory-sync.reconcile.output-dir", () -> outputDir.toString());
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Autowired
    ReconcileCommand command;

    @Autowired
    ReconcileRepository repository;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path jobs;

    @Test
    void findsTheSameDiscrepanciesOnH2() throws Exception {
        ReconcileJobFunctionalTest.lastSync(jdbc);

        Run run = ReconcileJobFunctionalTest.reconcile(
                command, repository, ReconcileJobFunctionalTest.jobFile(jobs, 0, 0));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCode.DISCREPANCIES_OVER_THRESHOLD);
        assertThat(run.discrepancies()).hasSize(12);
        assertThat(run.discrepancies())
                .filteredOn(d -> d.discrepancyClass() == DiscrepancyClass.NEVER_SYNCED)
                .singleElement()
                .satisfies(d -> assertThat(d.difference()).isEqualTo(28));
        assertThat(Files.readString(outputDir
                        .resolve("reconcile-test")
                        .resolve("reconcile-" + run.executionId())
                        .resolve("report.html")))
                .contains("12 discrepancies");
    }
}
