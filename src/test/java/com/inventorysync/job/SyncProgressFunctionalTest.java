package com.inventorysync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.ExitCode;
import com.inventorysync.support.GeneratedSnapshots;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductProcess;
import com.inventorysync.support.SyncFixtures;
import com.inventorysync.support.SyncTestEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sync, as an operator runs it (a child process), whose send step lasts many progress
 * intervals: 300 new keys sent two at a time to an OMS that takes 20 ms per on-hand PUT, with
 * {@code inventory-sync.progress.interval=200ms}. What it printed holds the send step's progress
 * lines, each with its percentage, rate and ETA, then its final line at 100%. How many lines there
 * are depends on the machine's speed, so only "at least two" is asserted.
 */
class SyncProgressFunctionalTest {
    /** 100 SKUs x 3 locations, none in the OMS yet: 300 updates. */
    static final GeneratedSnapshots DATA = new GeneratedSnapshots(100, 3, 1);

    private static final String NUMBER = "\\d{1,3}(?:,\\d{3})*";
    private static final String DURATION = "(?:\\d+ h )?(?:\\d+ min )?\\d+(?:\\.\\d)? s";
    private static final Pattern SEND_LINE = Pattern.compile("send: (" + NUMBER
            + ")/300 \\((\\d{1,3})%\\) [\\d.,]+/s, ETA (" + DURATION + "|unknown)(, limit \\d+(, paced [\\d,]+/s)?)?$");
    private static final Pattern SEND_FINAL =
            Pattern.compile("send: 300/300 \\(100%\\) in " + DURATION + ", [\\d.,]+/s$");

    @RegisterExtension
    static final SyncTestEnvironment env =
            SyncTestEnvironment.sandbox(DATA.seed(null)).omni().with("inventory-sync.progress.interval", "200ms");

    @TempDir
    Path dir;

    @Test
    void aLongSendPrintsItsProgressEveryIntervalAndAFinalLine() {
        env.sandbox().faults().latency("omni.onhand.put", 20, 0);
        Map<String, String> properties = env.settings()
                .database(PostgresTestDatabase.freshSchema(SyncProgressFunctionalTest.class))
                .asMap();
        Path job = SyncFixtures.write(dir.resolve("progress.yml"), """
                name: progress
                omni: {policy: ABSOLUTE, missing: KEEP}
                guard: {max-changed-share: 1.0, max-zeroed-share: 1.0}
                chunk-size: 20
                concurrency: 2
                """);
        Path snapshot = DATA.day1(dir.resolve("snapshot.csv"));

        String output;
        try (ProductProcess sync = ProductProcess.start(
                dir, properties, "sync", "--job", job.toString(), "--snapshot", snapshot.toString())) {
            int exit = sync.waitFor(Duration.ofMinutes(3));
            output = sync.output();
            assertThat(exit).as(output).isEqualTo(ExitCode.COMPLETED);
        }
        assertThat(env.sandbox().omniOnHand(DATA.sku(99), DATA.location(2)))
                .as("the sync really sent")
                .isEqualTo(GeneratedSnapshots.DAY1_COUNT);

        List<String> sendLines =
                output.lines().filter(l -> l.contains("send: ")).toList();
        assertThat(sendLines).as(output).isNotEmpty();
        List<String> running = sendLines.subList(0, sendLines.size() - 1);
        String last = sendLines.get(sendLines.size() - 1);

        assertThat(running)
                .as("progress lines while sending, one per 200 ms at most\n" + output)
                .hasSizeGreaterThanOrEqualTo(2);
        long previousDone = -1;
        for (String line : running) {
            Matcher m = SEND_LINE.matcher(line);
            assertThat(m.find())
                    .as("done/total, percent, rate and ETA: " + line)
                    .isTrue();
            assertThat(m.group(3)).as("an ETA once updates are done: " + line).isNotEqualTo("unknown");
            long done = Long.parseLong(m.group(1).replace(",", ""));
            assertThat(done).as("advances: " + line).isGreaterThan(previousDone).isLessThan(300);
            assertThat(Integer.parseInt(m.group(2))).isEqualTo((int) (done * 100 / 300));
            assertThat(line)
                    .as("logged at INFO on the send step's own logger")
                    .contains("INFO")
                    .contains("progress.send");
            previousDone = done;
        }
        assertThat(last).as("the final line comes last").containsPattern(SEND_FINAL);

        assertThat(output).as("ingest's final line").containsPattern("ingest: 300 rows \\(100%\\) in " + DURATION);
        assertThat(output)
                .as("plan's start and end")
                .contains("plan: comparing 300 staged rows")
                .containsPattern("plan: 300 updates planned from 300 staged rows in " + DURATION);
    }
}
