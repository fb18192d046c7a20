package com.inventorysync.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.InventorySyncApplication;
import com.inventorysync.cli.ExitCode;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.SyncFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Logs an operator can use, through the real command line against PostgreSQL and the sandbox: the run's job and
 * execution on every log line (pattern, and ECS or Logstash JSON), WARN and above on stderr and the rest on stdout, no stack trace
 * for a failed (restartable) run unless {@code --debug}, and no configured secret in anything a run prints or writes.
 */
class RunLoggingTest {
    static SandboxServer sandbox;
    static String schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sandbox = SandboxServer.start(SyncFixtures.seed());
        schema = PostgresTestDatabase.freshSchema(RunLoggingTest.class);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void aFailedRunPrintsNoStackTraceWithoutDebugAndFullTracesWithItAndNoSecretAnywhere() throws IOException {
        sandbox.faults().clear().unavailable("omni.onhand.put", 1.0);
        try {
            Printed failed = run(
                    settings().with("inventory-sync.http.max-attempts", "1"),
                    "sync",
                    "--job",
                    job("failing").toString(),
                    "--snapshot",
                    snapshot("day1.csv").toString());
            assertThat(failed.exit()).as(failed.all()).isEqualTo(ExitCode.FAILED);
            assertThat(failed.all())
                    .as("a failed run says so in its summary")
                    .contains("the run can be restarted")
                    .doesNotContain("\tat ");
            Long execution = executionOf(failed);
            assertThat(failed.stdout().lines().filter(l -> l.contains(" INFO ")))
                    .as("every log line of the run carries its job and execution")
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line).contains(" INFO [failing#" + execution + "] "));
            assertThat(failed.stdout())
                    .as("stdout has no WARN or ERROR line")
                    .doesNotContain(" WARN ")
                    .doesNotContain(" ERROR ");
            assertThat(failed.stderr().lines())
                    .as("stderr has log lines of WARN and above only")
                    .allSatisfy(line -> assertThat(line).containsAnyOf(" WARN [", " ERROR ["));

            Printed debugged = run(
                    settings().with("inventory-sync.http.max-attempts", "1"),
                    "sync",
                    "--debug",
                    "--job",
                    job("debugged").toString(),
                    "--snapshot",
                    snapshot("day2.csv").toString());
            assertThat(debugged.exit()).as(debugged.all()).isEqualTo(ExitCode.FAILED);
            assertThat(debugged.stderr())
                    .as("--debug: Spring Batch's trace of the failed step")
                    .contains("Encountered an error executing step")
                    .contains("\tat ");
            assertThat(debugged.stdout()).as("traces are errors: on stderr").doesNotContain("\tat ");

            Map<String, String> written = new LinkedHashMap<>();
            written.put("stdout and stderr of the failed run", failed.all());
            written.put("stdout and stderr of the --debug run", debugged.all());
            try (Stream<Path> files = Files.walk(dir.resolve("out"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    written.put(file.toString(), Files.readString(file));
                }
            }
            assertThat(written.keySet())
                    .as("files under the output folder")
                    .anyMatch(f -> f.endsWith("summary.txt"))
                    .anyMatch(f -> f.endsWith("rejects.csv"));
            for (Map.Entry<String, String> secret : configuredSecrets().entrySet()) {
                written.forEach((where, text) ->
                        assertThat(text).as(secret.getKey() + " in " + where).doesNotContain(secret.getValue()));
            }
        } finally {
            sandbox.faults().clear();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecs", "logstash"})
    void structuredLogsCarryTheJobAndExecution(String format) {
        Printed run = run(
                settings().with("logging.structured.format.console", format),
                "sync",
                "--job",
                job(format).toString(),
                "--snapshot",
                snapshot("day1.csv").toString(),
                "--dry-run");
        assertThat(run.exit()).as(run.all()).isEqualTo(ExitCode.COMPLETED);

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> logLines = run.stdout()
                .lines()
                .filter(l -> l.startsWith("{"))
                .map(json::readTree)
                .toList();
        assertThat(logLines).as(run.stdout()).isNotEmpty();
        JsonNode planned = logLines.stream()
                .filter(l -> l.path("message").asString().contains("updates planned"))
                .findFirst()
                .orElseThrow();
        assertThat(planned.path("job").asString()).isEqualTo(format);
        assertThat(planned.path("execution").asString()).isEqualTo(Long.toString(executionOf(run)));
    }

    // ---- helpers -------------------------------------------------------------------------

    /** What one command printed, standard output and standard error apart. */
    record Printed(int exit, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    private static Printed run(ProductSettings settings, String... words) {
        List<String> args = new ArrayList<>(List.of(words));
        settings.asMap().forEach((key, value) -> args.add("--" + key + "=" + value));
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = InventorySyncApplication.launch(args.toArray(String[]::new));
            return new Printed(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** The execution id from the summary's first line: "execution 7 (run 3) of job ...". */
    private static long executionOf(Printed run) {
        String line = run.stdout()
                .lines()
                .filter(l -> l.startsWith("execution "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(run.all()));
        return Long.parseLong(line.split(" ")[1]);
    }

    private Path job(String name) {
        return SyncFixtures.definition(dir, name, "ABSOLUTE", "KEEP", null);
    }

    private Path snapshot(String name) {
        return SyncFixtures.snapshot(dir, name, name.equals("day1.csv") ? SyncFixtures.day1() : SyncFixtures.day2());
    }

    /** Every vendor configured, so that every secret the product knows of is there to leak. */
    private ProductSettings settings() {
        return ProductSettings.create()
                .database(schema)
                .output(dir.resolve("out"))
                .fastRetries()
                .omni(sandbox)
                .kibo(sandbox)
                .shipEdge(sandbox)
                .newStore(sandbox);
    }

    private static Map<String, String> configuredSecrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("Omni subscription key", sandbox.credentials().omniSubscriptionKey());
        secrets.put("Kibo client secret", sandbox.credentials().kiboClientSecret());
        secrets.put("ShipEdge key", sandbox.credentials().shipEdgeKey());
        secrets.put("NewStore client secret", sandbox.credentials().newStoreClientSecret());
        return secrets;
    }
}
