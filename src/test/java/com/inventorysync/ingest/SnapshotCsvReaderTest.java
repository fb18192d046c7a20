package com.inventorysync.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class SnapshotCsvReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRecordsWithLineNumbersRawTextAndQuotedFieldsSpanningLines() throws Exception {
        Path file = SyncFixtures.write(dir.resolve("s.csv"), "\uFEFFsku,location,on_hand\nA,WH,1\n\n\"B\nwith break\",WH,2\n\"C,comma\",WH,3\n");
        SnapshotCsvReader reader = new SnapshotCsvReader(file);
        reader.open(new ExecutionContext());
        List<SnapshotLine> lines = readAll(reader);
        assertThat(lines).extracting(SnapshotLine::lineNumber).containsExactly(2L, 4L, 6L);
        assertThat(lines.get(1).fields()).containsExactly("B\nwith break", "WH", "2");
        assertThat(lines.get(1).rawText()).isEqualTo("\"B\nwith break\",WH,2");
        assertThat(lines.get(2).fields()).containsExactly("C,comma", "WH", "3");
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
        assertThat(rest).singleElement().satisfies(l -> assertThat(l.fields()[0]).isEqualTo("C"));
    }

    @Test
    void theHeaderIsMappedThroughTheJobDefinitionAndMustNameTheRequiredColumns() {
        Path file = SyncFixtures.write(dir.resolve("s.csv"), "\uFEFFQty,Item,Site,Extra\n1,A,WH,x\n");
        SnapshotHeader header = SnapshotHeader.read(file, Map.of("sku", "Item", "location", "Site", "on_hand", "Qty"));
        assertThat(header).isEqualTo(new SnapshotHeader(4, 1, 2, 0, -1, -1));
        assertThatThrownBy(() -> SnapshotHeader.read(file, Map.of()))
                .isInstanceOf(BadSnapshotException.class).hasMessageContaining("no column 'sku'");

        SnapshotRowValidator validator = new SnapshotRowValidator(header, Set.of("WH"));
        assertThat(validator.validate(new SnapshotLine(2, new String[] {" 7 ", "A", "WH", "x"}, "7,A,WH,x")))
                .isEqualTo(new IngestedRow.Staged(2, "A", "WH", 7, null, null));
        assertThat(validator.validate(new SnapshotLine(3, new String[] {"7", "A".repeat(101), "WH", "x"}, "...")))
                .isInstanceOfSatisfying(IngestedRow.Rejected.class, r -> assertThat(r.reason()).contains("longer than 100"));
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
