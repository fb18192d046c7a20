package com.inventorysync.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.inventorysync.support.SyncFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        assertThat(skus(first.read())).containsExactly("A", "B");
        first.update(context);
        first.close();

        SnapshotBlockReader restarted = new SnapshotBlockReader(new SnapshotCsvReader(file), VALIDATOR, 2);
        restarted.open(context);
        List<String> rest = new ArrayList<>();
        for (List<IngestedRow> block = restarted.read(); block != null; block = restarted.read()) {
            rest.addAll(skus(block));
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
        List<IngestedRow> block = first.read();
        assertThat(block).extracting(IngestedRow::lineNumber).containsExactly(2L, 3L);
        assertThat(((IngestedRow.Rejected) block.get(1)).reason()).startsWith("unbalanced quote");
        first.update(context);
        first.close();

        SnapshotBlockReader restarted = new SnapshotBlockReader(new SnapshotCsvReader(file), VALIDATOR, 2);
        restarted.open(context);
        List<IngestedRow> rest = new ArrayList<>();
        for (List<IngestedRow> next = restarted.read(); next != null; next = restarted.read()) {
            rest.addAll(next);
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
        assertThatThrownBy(reader::read).isInstanceOf(IOException.class);
        reader.close();
    }

    private static List<String> skus(List<IngestedRow> block) {
        return block.stream().map(r -> ((IngestedRow.Staged) r).sku()).toList();
    }
}
