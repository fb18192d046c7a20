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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class SnapshotBlockReaderTest {
    @TempDir
    Path dir;

    @Test
    void aRestartResumesAfterTheBlocksHandedOutNotThoseReadAhead() throws Exception {
        Path file = SyncFixtures.write(
                dir.resolve("s.csv"), "sku,location,on_hand\nA,WH,1\nB,WH,2\nC,WH,3\nD,WH,4\nE,WH,5\n");
        SnapshotBlockReader first = new SnapshotBlockReader(new SnapshotCsvReader(file), 2);
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        assertThat(skus(first.read())).containsExactly("A", "B");
        first.update(context);
        first.close();

        SnapshotBlockReader restarted = new SnapshotBlockReader(new SnapshotCsvReader(file), 2);
        restarted.open(context);
        List<String> rest = new ArrayList<>();
        for (List<SnapshotLine> block = restarted.read(); block != null; block = restarted.read()) {
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
        SnapshotBlockReader first = new SnapshotBlockReader(new SnapshotCsvReader(file), 2);
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        List<SnapshotLine> block = first.read();
        assertThat(block).extracting(SnapshotLine::lineNumber).containsExactly(2L, 3L);
        assertThat(block.get(1).parseError()).startsWith("unbalanced quote");
        first.update(context);
        first.close();

        SnapshotBlockReader restarted = new SnapshotBlockReader(new SnapshotCsvReader(file), 2);
        restarted.open(context);
        List<SnapshotLine> rest = new ArrayList<>();
        for (List<SnapshotLine> next = restarted.read(); next != null; next = restarted.read()) {
            rest.addAll(next);
        }
        restarted.update(context);
        restarted.close();
        assertThat(rest).extracting(SnapshotLine::lineNumber).containsExactly(4L, 5L, 6L);
        assertThat(rest).allSatisfy(l -> assertThat(l.parsed()).isTrue());
        assertThat(context.getLong(SnapshotCsvReader.READ_KEY)).isEqualTo(5);
    }

    @Test
    void aRecordThatIsNotUtf8FailsTheReadOfItsBlock() throws Exception {
        Path file = dir.resolve("s.csv");
        // far enough into the file that opening it (which reads ahead a buffer) does not meet it
        Files.writeString(file, "sku,location,on_hand\n" + "A,WH,1\n".repeat(50_000));
        Files.write(file, new byte[] {'B', ',', (byte) 0xC3, (byte) 0x28, ',', '1', '\n'}, StandardOpenOption.APPEND);
        SnapshotBlockReader reader = new SnapshotBlockReader(new SnapshotCsvReader(file), 100_000);
        reader.open(new ExecutionContext());
        assertThatThrownBy(reader::read).isInstanceOf(IOException.class);
        reader.close();
    }

    private static List<String> skus(List<SnapshotLine> block) {
        return block.stream().map(l -> l.fields()[0]).toList();
    }
}
