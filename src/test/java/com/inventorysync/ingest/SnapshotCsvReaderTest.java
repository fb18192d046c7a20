package com.inventorysync.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.inventorysync.support.SyncFixtures;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class SnapshotCsvReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsOneRecordPerPhysicalLineWithLineNumbersRawTextAndQuotedFields() throws Exception {
        // A quoted field never continues on the next line: "B and what follows are two lines, each judged alone.
        Path file = SyncFixtures.write(
                dir.resolve("s.csv"),
                "\uFEFFsku,location,on_hand\nA,WH,1\n\n\"B\nwith break\",WH,2\n\"C,comma\",WH,3\n");
        SnapshotCsvReader reader = new SnapshotCsvReader(file);
        reader.open(new ExecutionContext());
        List<SnapshotLine> lines = readAll(reader);
        assertThat(lines).extracting(SnapshotLine::lineNumber).containsExactly(2L, 4L, 5L, 6L);
        assertThat(lines.get(1).parsed()).isFalse();
        assertThat(lines.get(1).parseError()).startsWith("unbalanced quote: field 1");
        assertThat(lines.get(1).rawText()).isEqualTo("\"B");
        assertThat(lines.get(2).fields()).containsExactly("with break\"", "WH", "2");
        assertThat(lines.get(3).fields()).containsExactly("C,comma", "WH", "3");
        assertThat(lines.get(3).rawText()).isEqualTo("\"C,comma\",WH,3");
    }

    /**
     * Lines end at a line feed, a carriage return or both, wherever the reader's buffer happens to
     * end, and a line longer than the buffer is read whole: the same lines and numbers as {@link
     * BufferedReader#readLine} gives, blank lines passed over.
     */
    @Test
    void linesAndTheirNumbersAreThoseReadLineGivesWhateverTheEndingsAndBufferBoundaries() throws Exception {
        Random random = new Random(42);
        String[] endings = {"\n", "\r\n", "\r"};
        StringBuilder csv = new StringBuilder("sku,location,on_hand\r\n");
        for (int i = 0; i < 30_000; i++) {
            int kind = random.nextInt(500);
            String line = kind < 10
                    ? ""
                    : kind == 10 ? "L" + "x".repeat(70_000 + i) : "SKU-" + i + ",WH," + random.nextInt(1000);
            csv.append(line).append(endings[random.nextInt(endings.length)]);
        }
        csv.append("LAST,WH,1");
        Path file = SyncFixtures.write(dir.resolve("endings.csv"), csv.toString());

        List<String> expected = new ArrayList<>();
        List<Long> expectedNumbers = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            in.readLine();
            long number = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (!line.isEmpty()) {
                    expected.add(line);
                    expectedNumbers.add(number);
                }
            }
        }
        SnapshotCsvReader reader = new SnapshotCsvReader(file);
        reader.open(new ExecutionContext());
        List<String> actual = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        for (String line = reader.nextLine(); line != null; line = reader.nextLine()) {
            actual.add(line);
            numbers.add(reader.lineNumber());
        }
        reader.close();
        assertThat(actual).hasSize(expected.size()).isEqualTo(expected);
        assertThat(numbers).isEqualTo(expectedNumbers);
        assertThat(actual.get(actual.size() - 1)).isEqualTo("LAST,WH,1");
    }

    @Test
    void anUnbalancedQuoteRejectsItsOwnLineWithItsKeyAndEveryOtherLineIsRead() throws Exception {
        StringBuilder csv = new StringBuilder("sku,location,on_hand,upc,part_number\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i == 10 ? "\"TEE-NEW-1,WH-00,4,," : "SKU-" + i + ",WH-00," + i + ",,")
                    .append('\n');
        }
        Path file = SyncFixtures.write(dir.resolve("s.csv"), csv.toString());
        SnapshotHeader header = SnapshotHeader.read(file, Map.of());
        SnapshotCsvReader reader = new SnapshotCsvReader(file);
        reader.open(new ExecutionContext());
        List<IngestedRow> rows = new SnapshotRowValidator(header, Set.of("WH-00")).process(readAll(reader));

        assertThat(rows)
                .hasSize(40)
                .extracting(IngestedRow::lineNumber)
                .doesNotHaveDuplicates()
                .allMatch(n -> n >= 2 && n <= 41);
        assertThat(rows)
                .filteredOn(r -> r instanceof IngestedRow.Rejected)
                .singleElement()
                .isInstanceOfSatisfying(IngestedRow.Rejected.class, r -> {
                    assertThat(r.lineNumber()).isEqualTo(12);
                    assertThat(r.reason()).startsWith("unbalanced quote: field 1 opens a quote at column 1");
                    assertThat(r.rawText()).isEqualTo("\"TEE-NEW-1,WH-00,4,,");
                    assertThat(r.sku()).isEqualTo("TEE-NEW-1");
                    assertThat(r.location()).isEqualTo("WH-00");
                });
        assertThat(rows)
                .filteredOn(r -> r instanceof IngestedRow.Staged)
                .hasSize(39)
                .last()
                .isEqualTo(new IngestedRow.Staged(41, "SKU-39", "WH-00", 39, null, null));
    }

    @Test
    void aControlCharacterInAnyFieldRejectsTheRowNamingFieldAndPositionAndKeepsTheKey() {
        SnapshotHeader header = new SnapshotHeader(4, 0, 1, 2, -1, -1, List.of("Item", "Site", "Qty", "bin_id"));
        SnapshotRowValidator validator = new SnapshotRowValidator(header, Set.of("WH"));

        assertThat(validator.validate(
                        new SnapshotLine(2, new String[] {"SKU-\u0000E", "WH", "7", "x"}, "SKU-\u0000E,WH,7,x")))
                .isEqualTo(new IngestedRow.Rejected(
                        2,
                        "SKU-\u0000E,WH,7,x",
                        "sku",
                        "sku holds the control character U+0000 at position 5",
                        "SKU-E",
                        "WH"));
        assertThat(validator.validate(new SnapshotLine(3, new String[] {"A", "WH", "7\u0007", "x"}, "A,WH,7\u0007,x")))
                .isInstanceOfSatisfying(IngestedRow.Rejected.class, r -> {
                    assertThat(r.field()).isEqualTo("on_hand");
                    assertThat(r.reason()).contains("U+0007");
                    assertThat(r.sku()).isEqualTo("A");
                    assertThat(r.location()).isEqualTo("WH");
                });
        assertThat(validator.validate(new SnapshotLine(4, new String[] {"A", "WH", "7", "x\u007F"}, "A,WH,7,x\u007F")))
                .isInstanceOfSatisfying(
                        IngestedRow.Rejected.class, r -> assertThat(r.field()).isEqualTo("bin_id"));
        assertThat(validator.validate(new SnapshotLine(5, new String[] {"A\tB", "WH", "7", "x"}, "A\tB,WH,7,x")))
                .isInstanceOfSatisfying(
                        IngestedRow.Rejected.class, r -> assertThat(r.reason()).contains("U+0009 at position 2"));
        // tabs around a value are padding, trimmed like spaces
        assertThat(validator.validate(new SnapshotLine(6, new String[] {"\tA ", "WH\t", "7", "x"}, "\tA ,WH\t,7,x")))
                .isEqualTo(new IngestedRow.Staged(6, "A", "WH", 7, null, null));
    }

    @Test
    void controlCharactersAreShownAsEscapesInTextKeptForTheRejectFile() {
        assertThat(ControlCharacters.escape("SKU-\u0000E,WH\u001b,7\u007F\u0085"))
                .isEqualTo("SKU-\\u0000E,WH\\u001b,7\\u007f\\u0085");
        assertThat(ControlCharacters.escape("plain, \"text\" é")).isEqualTo("plain, \"text\" é");
    }

    @Test
    void aRestartSkipsTheRecordsAnEarlierExecutionHandedOut() throws Exception {
        Path file = SyncFixtures.write(dir.resolve("s.csv"), "sku,location,on_hand\nA,WH,1\nB,WH,2\nC,WH,3\n");
        SnapshotCsvReader first = new SnapshotCsvReader(file);
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        first.read();
        first.read();
        first.update(context);
        first.close();

        SnapshotCsvReader restarted = new SnapshotCsvReader(file);
        restarted.open(context);
        List<SnapshotLine> rest = readAll(restarted);
        assertThat(rest)
                .singleElement()
                .satisfies(l -> assertThat(l.fields()[0]).isEqualTo("C"));
    }

    @Test
    void theHeaderIsMappedThroughTheJobDefinitionAndMustNameTheRequiredColumns() {
        Path file = SyncFixtures.write(dir.resolve("s.csv"), "\uFEFFQty,Item,Site,Extra\n1,A,WH,x\n");
        SnapshotHeader header = SnapshotHeader.read(file, Map.of("sku", "Item", "location", "Site", "on_hand", "Qty"));
        assertThat(header).isEqualTo(new SnapshotHeader(4, 1, 2, 0, -1, -1, List.of("Qty", "Item", "Site", "Extra")));
        assertThatThrownBy(() -> SnapshotHeader.read(file, Map.of()))
                .isInstanceOf(BadSnapshotException.class)
                .hasMessageContaining("no column 'sku'");

        SnapshotRowValidator validator = new SnapshotRowValidator(header, Set.of("WH"));
        assertThat(validator.validate(new SnapshotLine(2, new String[] {" 7 ", "A", "WH", "x"}, "7,A,WH,x")))
                .isEqualTo(new IngestedRow.Staged(2, "A", "WH", 7, null, null));
        assertThat(validator.validate(new SnapshotLine(3, new String[] {"7", "A".repeat(101), "WH", "x"}, "...")))
                .isInstanceOfSatisfying(
                        IngestedRow.Rejected.class, r -> assertThat(r.reason()).contains("longer than 100"));
    }

    private static List<SnapshotLine> readAll(SnapshotCsvReader reader) throws Exception {
        List<SnapshotLine> lines = new ArrayList<>();
        for (SnapshotLine l = reader.read(); l != null; l = reader.read()) {
            lines.add(l);
        }
        reader.close();
        return lines;
    }
}
