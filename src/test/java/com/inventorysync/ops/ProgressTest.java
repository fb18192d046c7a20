package com.inventorysync.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The lines {@link Progress} writes, on a clock the test moves by hand. */
class ProgressTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private Progress counted(long total) {
        return new Progress("send", total, null, false, Duration.ofSeconds(10), now::get, lines::add);
    }

    private void after(double seconds) {
        now.addAndGet((long) (seconds * 1e9));
    }

    private long at(double secondsFromStart) {
        return 1_000_000_000L + (long) (secondsFromStart * 1e9);
    }

    @Test
    void aCountedLineHasThousandsSeparatorsPercentRateSinceTheStartAndEta() {
        Progress send = counted(60_000);
        send.set(24_000);

        // 24,000 in 89.5 s: 268.2/s; the 36,000 left take 134 s at that rate
        assertThat(send.line(at(89.5))).isEqualTo("send: 24,000/60,000 (40%) 268/s, ETA 2 min 14 s");
    }

    @Test
    void theFinalLineSaysHowLongTheWholeStepTookAndItsRate() {
        Progress send = counted(60_000);
        send.set(60_000);

        assertThat(send.finalLine(at(224))).isEqualTo("send: 60,000/60,000 (100%) in 3 min 44 s, 268/s");
    }

    @Test
    void beforeAnythingIsDoneTheEtaIsUnknown() {
        Progress send = counted(5_000);

        assertThat(send.line(at(12))).isEqualTo("send: 0/5,000 (0%) 0.0/s, ETA unknown");
    }

    @Test
    void anUnknownTotalShowsTheCountAndNoPercentNorEtaUntilTheTotalIsKnown() {
        Progress pull = new Progress("shipedge", -1, "items", false, Duration.ofSeconds(10), now::get, lines::add);
        pull.set(12_000);

        assertThat(pull.line(at(24))).isEqualTo("shipedge: 12,000 items (total unknown) 500/s, ETA unknown");
        assertThat(pull.finalLine(at(24))).isEqualTo("shipedge: 12,000 items (total unknown) in 24 s, 500/s");

        pull.total(48_000);
        assertThat(pull.line(at(24))).isEqualTo("shipedge: 12,000/48,000 items (25%) 500/s, ETA 1 min 12 s");
    }

    @Test
    void aMeasuredStepShowsItsCountWithThePercentOfTheMeasure() {
        // a file of 50,000,000 bytes; 20,000,000 read hold 480,000 rows
        Progress ingest =
                new Progress("ingest", 50_000_000, "rows", true, Duration.ofSeconds(10), now::get, lines::add);
        ingest.set(20_000_000, 480_000);

        assertThat(ingest.line(at(5))).isEqualTo("ingest: 480,000 rows (40%) 96,000/s, ETA 7.5 s");
        ingest.set(50_000_000, 1_200_000);
        assertThat(ingest.finalLine(at(12))).isEqualTo("ingest: 1,200,000 rows (100%) in 12 s, 100,000/s");
    }

    @Test
    void workOfAnEarlierExecutionCountsInThePercentButNotInTheRate() {
        Progress send = counted(1_000);
        send.resumedAt(600, 600);
        send.advance(100);

        // 100 in 10 s here: 10/s, and 300 left
        assertThat(send.line(at(10))).isEqualTo("send: 700/1,000 (70%) 10/s, ETA 30 s");
    }

    @Test
    void thePercentIsRoundedDownSoThat100MeansAll() {
        assertThat(Progress.percent(599, 600)).isEqualTo("99%");
        assertThat(Progress.percent(600, 600)).isEqualTo("100%");
        assertThat(Progress.percent(1, 600)).isEqualTo("0%");
        assertThat(Progress.percent(0, 0)).as("nothing to do is all done").isEqualTo("100%");
    }

    @Test
    void ratesAreWholeFromTenAndOneDecimalBelow() {
        assertThat(Progress.rate(12_345.4)).isEqualTo("12,345/s");
        assertThat(Progress.rate(10)).isEqualTo("10/s");
        assertThat(Progress.rate(2.54)).isEqualTo("2.5/s");
        assertThat(Progress.rate(0)).isEqualTo("0.0/s");
    }

    @Test
    void durationsDropLeadingZeroUnits() {
        assertThat(Progress.duration(Duration.ofMillis(400))).isEqualTo("0.4 s");
        assertThat(Progress.duration(Duration.ofMillis(9_440))).isEqualTo("9.4 s");
        assertThat(Progress.duration(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(Progress.duration(Duration.ofMillis(59_600))).isEqualTo("1 min 0 s");
        assertThat(Progress.duration(Duration.ofSeconds(134))).isEqualTo("2 min 14 s");
        assertThat(Progress.duration(Duration.ofSeconds(3_605))).isEqualTo("1 h 0 min 5 s");
        assertThat(Progress.duration(Duration.ofHours(27))).isEqualTo("27 h 0 min 0 s");
    }

    @Test
    void aLineIsWrittenOnlyWhenTheStepAdvancesAfterTheIntervalAndTheFinalLineOnce() {
        Progress send = counted(100);

        after(9.9);
        send.advance(10);
        assertThat(lines).as("the interval has not passed").isEmpty();

        after(0.1);
        send.advance(10);
        assertThat(lines).containsExactly("send: 20/100 (20%) 2.0/s, ETA 40 s");

        after(5);
        send.advance(10);
        assertThat(lines).as("one line per interval").hasSize(1);

        after(20);
        assertThat(lines).as("nothing without an advance: there is no timer").hasSize(1);
        send.advance(10);
        assertThat(lines).hasSize(2).last().asString().startsWith("send: 40/100 (40%)");

        after(10);
        send.set(100);
        assertThat(lines)
                .as("all done after the interval: no running line at 100%, the final line says it")
                .hasSize(2);
        send.finish();
        send.finish();
        after(60);
        send.advance(1);
        assertThat(lines)
                .as("the final line, written at the end, and nothing after it")
                .hasSize(3)
                .last()
                .asString()
                .isEqualTo("send: 100/100 (100%) in 45 s, 2.2/s");
    }

    @Test
    void manyThreadsAdvancingCountEveryItemAndWriteOneLinePerInterval() throws Exception {
        Progress send = counted(80_000);
        after(10);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        send.advance(1);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(lines)
                .as("the clock stood still past one interval: one line, however many threads saw it")
                .hasSize(1);
        send.finish();
        assertThat(lines.get(1)).startsWith("send: 80,000/80,000 (100%) in 10 s");
    }

    @Test
    void theIntervalMustBePositive() {
        assertThatThrownBy(() -> Progress.start("send", 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }
}
