package com.inventorysync.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.inventorysync.support.SyncFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class SnapshotBlockReaderTest {
    static final SnapshotRowValidator VALIDATOR = new SnapshotRowValidator(
            new SnapshotHeader(3, 0, 1, 2, -1, -1, List.of("sku", "location", "on_hand")), Set.of("WH"));

    @TempDir
    Path dir;

    @Test
    void aRestartResumesAfterTheBlocksHandedOutNotThoseReadAhead() throws Exception {
        Path file = SyncFixtures.write(
                dir.resolve("s.csv"), "sku,location,on_hand\nA,WH,1\nB,WH,2\nC,WH,3\nD,WH,4\nE,WH,5\n");
        SnapshotBlockReader first = new SnapshotBlockReader(new SnapshotCsvReader(file), VALIDATOR, 2);
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        assertThat(skus(first.read().rows())).containsExactly("A", "B");
        first.update(context);
        first.close();

        SnapshotBlockReader restarted = new SnapshotBlockReader(new SnapshotCsvReader(file), VALIDATOR, 2);
        restarted.open(context);
        List<String> rest = new ArrayList<>();
        for (IngestBlock block = restarted.read(); block != null; block = restarted.read()) {
            rest.addAll(skus(block.rows()));
        }
        restarted.update(context);
        restarted.close();
        assertThat(rest).containsExactly("C", "D", "E");
        assertThat(context.getLong(SnapshotCsvReader.READ_KEY)).isEqualTo(5);
    }

    @Test
    void aRestartAfterAnUnparseableLineResumesAtTheNextLineWithItsOwnNumber() throws Exception {
        Path file = SyncFixtures.write(
                dir.resolve("s.csv"), "sku,location,on_hand\nA,WH,1\n\"B,WH,2\nC,WH,3\nD,WH,4\nE,WH,5\n");
        SnapshotBlockReader first = new SnapshotBlockReader(new SnapshotCsvReader(file), VALIDATOR, 2);
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        List<IngestedRow> block = first.read().rows();
        assertThat(block).extracting(IngestedRow::lineNumber).containsExactly(2L, 3L);
        assertThat(((IngestedRow.Rejected) block.get(1)).reason()).startsWith("unbalanced quote");
        first.update(context);
        first.close();

        SnapshotBlockReader restarted = new SnapshotBlockReader(new SnapshotCsvReader(file), VALIDATOR, 2);
        restarted.open(context);
        List<IngestedRow> rest = new ArrayList<>();
        for (IngestBlock next = restarted.read(); next != null; next = restarted.read()) {
            rest.addAll(next.rows());
        }
        restarted.update(context);
        restarted.close();
        assertThat(rest).extracting(IngestedRow::lineNumber).containsExactly(4L, 5L, 6L);
        assertThat(rest).allSatisfy(r -> assertThat(r).isInstanceOf(IngestedRow.Staged.class));
        assertThat(context.getLong(SnapshotCsvReader.READ_KEY)).isEqualTo(5);
    }

    @Test
    void aRecordThatIsNotUtf8FailsTheReadOfItsBlock() throws Exception {
        Path file = dir.resolve("s.csv");
        // far enough into the file that opening it (which reads ahead a buffer) does not meet it
        Files.writeString(file, "sku,location,on_hand\n" + "A,WH,1\n".repeat(50_000));
        Files.write(file, new byte[] {'B', ',', (byte) 0xC3, (byte) 0x28, ',', '1', '\n'}, StandardOpenOption.APPEND);
        SnapshotBlockReader reader = new SnapshotBlockReader(new SnapshotCsvReader(file), VALIDATOR, 100_000);
        reader.open(new ExecutionContext());
        List<Integer> blocks = new ArrayList<>();
        assertThatThrownBy(() -> {
                    for (IngestBlock block = reader.read(); block != null; block = reader.read()) {
                        blocks.add(block.lines());
                    }
                })
                .isInstanceOf(IOException.class);
        reader.close();
        // The first blocks are small and double (5,000, 10,000, 20,000); the one holding the bad record fails whole.
        assertThat(blocks).containsExactly(5_000, 10_000, 20_000);
    }

    /**
     * Lines written straight to COPY text ({@link PlainLineStager}) and lines left to the parser and
     * the validator come out as the validator alone makes them: the same rows staged with the same
     * values and fingerprints, the same rejected with the same reasons.
     */
    @Test
    void copyTextHoldsTheRowsTheValidatorStagesAndRejectsTheSame() throws Exception {
        String longText = "X".repeat(101);
        Path file = SyncFixtures.write(
                dir.resolve("s.csv"),
                String.join(
                                "\n",
                                List.of(
                                        "sku,location,on_hand,upc,part_number",
                                        "A,WH,1,,",
                                        " A2 , WH ,  2 , U1 , P1 ",
                                        "B,WH,0012,,",
                                        "C,WH,+3,,",
                                        "D,WH,-1,,",
                                        "E,WH,1234567890,,",
                                        "F,WH,99999999999,,",
                                        "G,XX,1,,",
                                        "\"H,1\",WH,1,,",
                                        "I,WH",
                                        "J,WH,1,,,extra",
                                        "K\\x,WH,1,,",
                                        "\u00c4pfel,WH,1,,",
                                        ",WH,1,,",
                                        "L,WH,,,",
                                        "M\tN,WH,1,,",
                                        "\tO\t,WH,1,,",
                                        longText + ",WH,1,,",
                                        "R,WH,1," + longText + ",",
                                        "S,WH,1,,\u007f",
                                        "T,W\"H,4,,",
                                        "U,WH,5, ,  ",
                                        "V,WH,7,U7,P7",
                                        "W\\y,WH,8,U8,P8",
                                        "X,WH,0,U9,P9",
                                        "Y,WH,007,U,P",
                                        "Z ,WH,1,U,P",
                                        " Q,WH,2,U,P"))
                        + "\n");
        SnapshotRowValidator validator = new SnapshotRowValidator(
                new SnapshotHeader(5, 0, 1, 2, 3, 4, List.of("sku", "location", "on_hand", "upc", "part_number")),
                Set.of("WH", "W\"H"));

        List<IngestedRow> expected = assertCopyTextHoldsWhatTheValidatorMakes(file, validator, 28);
        assertThat(expected).filteredOn(r -> r instanceof IngestedRow.Staged).hasSize(18);
        assertThat(expected)
                .contains(
                        new IngestedRow.Staged(3, "A2", "WH", 2, "U1", "P1"),
                        new IngestedRow.Staged(13, "K\\x", "WH", 1, null, null),
                        new IngestedRow.Staged(14, "\u00c4pfel", "WH", 1, null, null),
                        new IngestedRow.Staged(20, "R", "WH", 1, longText.substring(0, 100), null),
                        new IngestedRow.Staged(24, "V", "WH", 7, "U7", "P7"),
                        new IngestedRow.Staged(25, "W\\y", "WH", 8, "U8", "P8"),
                        new IngestedRow.Staged(26, "X", "WH", 0, "U9", "P9"),
                        new IngestedRow.Staged(27, "Y", "WH", 7, "U", "P"),
                        new IngestedRow.Staged(28, "Z", "WH", 1, "U", "P"),
                        new IngestedRow.Staged(29, "Q", "WH", 2, "U", "P"));
    }

    /**
     * A header in the staged text's order (sku, location, on_hand, then the optional columns present):
     * its plain lines are staged as written, the columns it lacks null.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sku,location,on_hand", "sku,location,on_hand,upc", "location,sku,on_hand"})
    void linesInTheStagedTextsOrderAreStagedAsWrittenOthersAsTheValidatorMakesThem(String names) throws Exception {
        List<String> columns = List.of(names.split(","));
        boolean upc = columns.contains("upc");
        List<String> lines = new ArrayList<>(List.of(names));
        for (int i = 0; i < 300; i++) {
            String sku = "SKU-" + i + (i % 50 == 7 ? "\\" : "");
            String location = "L" + i % 3;
            String onHand = i % 40 == 9 ? "0" + i : String.valueOf(i);
            String line = columns.get(0).equals("sku") ? sku + "," + location : location + "," + sku;
            lines.add(line + "," + onHand + (upc ? "," + (i % 4 == 0 ? "" : "U" + i) : ""));
        }
        Path file = SyncFixtures.write(dir.resolve("ordered.csv"), String.join("\n", lines) + "\n");
        SnapshotRowValidator validator = new SnapshotRowValidator(
                new SnapshotHeader(
                        columns.size(),
                        columns.indexOf("sku"),
                        columns.indexOf("location"),
                        columns.indexOf("on_hand"),
                        columns.indexOf("upc"),
                        -1,
                        columns),
                Set.of("L0", "L1"));

        List<IngestedRow> expected = assertCopyTextHoldsWhatTheValidatorMakes(file, validator, 300);
        assertThat(expected).filteredOn(r -> r instanceof IngestedRow.Staged).hasSize(200);
        assertThat(expected)
                .contains(
                        new IngestedRow.Staged(5, "SKU-3", "L0", 3, upc ? "U3" : null, null),
                        new IngestedRow.Staged(6, "SKU-4", "L1", 4, null, null),
                        new IngestedRow.Staged(9, "SKU-7\\", "L1", 7, upc ? "U7" : null, null),
                        new IngestedRow.Staged(11, "SKU-9", "L0", 9, upc ? "U9" : null, null));
    }

    /**
     * Reads the file twice, into row objects and into COPY text, and asserts that the text holds the
     * rows the validator stages (values and fingerprints) and that both reject the same lines.
     *
     * @return the rows the validator made
     */
    private List<IngestedRow> assertCopyTextHoldsWhatTheValidatorMakes(
            Path file, SnapshotRowValidator validator, int lineCount) throws Exception {
        SnapshotBlockReader plain = new SnapshotBlockReader(new SnapshotCsvReader(file), validator, 7);
        plain.open(new ExecutionContext());
        List<IngestedRow> expected = new ArrayList<>();
        for (IngestBlock block = plain.read(); block != null; block = plain.read()) {
            assertThat(block.staged()).isNull();
            expected.addAll(block.rows());
        }
        plain.close();

        SnapshotBlockReader copying =
                new SnapshotBlockReader(new SnapshotCsvReader(file), validator, 7).writingCopyTextFor(42);
        copying.open(new ExecutionContext());
        List<IngestedRow> actual = new ArrayList<>();
        int lines = 0;
        for (IngestBlock block = copying.read(); block != null; block = copying.read()) {
            lines += block.lines();
            assertThat(block.rows()).allSatisfy(r -> assertThat(r).isInstanceOf(IngestedRow.Rejected.class));
            actual.addAll(block.rows());
            actual.addAll(decode(block.staged()));
        }
        copying.close();

        assertThat(lines).isEqualTo(lineCount);
        Comparator<IngestedRow> byLine = Comparator.comparingLong(IngestedRow::lineNumber);
        assertThat(actual.stream().sorted(byLine).toList())
                .isEqualTo(expected.stream().sorted(byLine).toList());
        return expected;
    }

    /** A block's text and keys are kept in pages; rows past the first page come back whole, in order. */
    @Test
    void copyTextOfManyRowsReadsBackWholeAcrossPages() {
        StagedText text = new StagedText(42);
        List<IngestedRow> written = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            IngestedRow.Staged row = new IngestedRow.Staged(
                    i + 2L,
                    "SKU-" + i + (i % 7 == 0 ? "\u00e9\\" : ""),
                    "LOC-" + i % 10,
                    i,
                    i % 3 == 0 ? null : "U" + i,
                    null);
            text.add(row);
            written.add(row);
        }
        char[] line = "PLAIN-1,LOC-1,77".toCharArray();
        text.addPlain(40_002, line, 0, 7, 8, 13, 77, -1, -1, -1, -1);
        written.add(new IngestedRow.Staged(40_002, "PLAIN-1", "LOC-1", 77, null, null));
        assertThat(text.rows()).isEqualTo(40_001);
        assertThat(decode(text)).isEqualTo(written);
    }

    /** The rows of COPY text, read back; each row's fingerprint is checked against its key's. */
    private static List<IngestedRow> decode(StagedText text) {
        List<IngestedRow> rows = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        text.sendTo((page, length) -> bytes.write(page, 0, length));
        String all = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = all.isEmpty() ? new String[0] : all.split("\n");
        assertThat(lines).hasSize(text.rows());
        for (int i = 0; i < lines.length; i++) {
            String[] f = lines[i].split("\t", -1);
            assertThat(f).hasSize(7);
            assertThat(f[0]).isEqualTo("42");
            IngestedRow.Staged row = new IngestedRow.Staged(
                    Long.parseLong(f[1]),
                    unescape(f[2]),
                    unescape(f[3]),
                    Integer.parseInt(f[4]),
                    unescape(f[5]),
                    unescape(f[6]));
            assertThat(text.line(i)).isEqualTo(row.lineNumber());
            assertThat(text.fingerprint(i)).isEqualTo(SnapshotKeys.fingerprint(row.sku(), row.location()));
            rows.add(row);
        }
        return rows;
    }

    private static String unescape(String value) {
        if (value.equals("\\N")) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                char next = value.charAt(++i);
                out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<String> skus(List<IngestedRow> block) {
        return block.stream().map(r -> ((IngestedRow.Staged) r).sku()).toList();
    }
}
