package com.inventorysync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.jobdef.JobDefinition.Pool;
import com.inventorysync.jobdef.JobDefinitionException;
import com.inventorysync.jobdef.JobDefinitionLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job-definition keys reconciliation reads: {@code pools} and {@code reconcile}. */
class ReconcileJobDefinitionTest {
    @TempDir
    Path dir;

    @Test
    void readsPoolsAndReconcileKeys() throws IOException {
        JobDefinition d = JobDefinitionLoader.load(write("""
                name: nightly
                pools:
                  - {group: WEB, name: WEB-EAST, members: [WH-00, STORE-01], buffer: 5}
                  - {group: WEB, name: WEB-WEST, members: [WH-01]}
                reconcile:
                  tolerance: 2
                  alert-threshold: 10
                  after-sync: true
                """));
        assertThat(d.pools())
                .containsExactly(
                        new Pool("WEB", "WEB-EAST", List.of("WH-00", "STORE-01"), 5),
                        new Pool("WEB", "WEB-WEST", List.of("WH-01"), 0));
        assertThat(d.reconcile().tolerance()).isEqualTo(2);
        assertThat(d.reconcile().alertThreshold()).isEqualTo(10);
        assertThat(d.reconcile().afterSync()).isTrue();
    }

    @Test
    void defaultsReportEveryDifferenceAlertOnAnyAndDoNotRunAfterSync() throws IOException {
        JobDefinition d = JobDefinitionLoader.load(write("name: nightly\n"));
        assertThat(d.pools()).isEmpty();
        assertThat(d.reconcile().tolerance()).isZero();
        assertThat(d.reconcile().alertThreshold()).isZero();
        assertThat(d.reconcile().afterSync()).isFalse();
    }

    @Test
    void aPoolDefinedTwiceOrWithoutMembersIsAnError() throws IOException {
        Path file = write("""
                name: nightly
                pools:
                  - {group: WEB, name: WEB-EAST, members: [WH-00]}
                  - {group: WEB, name: WEB-EAST, members: [WH-01]}
                  - {group: WEB, name: EMPTY, members: []}
                reconcile: {tolerance: -1}
                """);
        assertThatThrownBy(() -> JobDefinitionLoader.load(file))
                .isInstanceOf(JobDefinitionException.class)
                .hasMessageContaining("pools[1]: pool WEB / WEB-EAST is already defined at pools[0]")
                .hasMessageContaining("pools[2]: 'members' must list at least one location")
                .hasMessageContaining("reconcile.tolerance must be between 0");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("job.yml");
        Files.writeString(file, yaml);
        return file;
    }
}
