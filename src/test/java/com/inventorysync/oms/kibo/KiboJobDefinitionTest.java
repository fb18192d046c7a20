package com.inventorysync.oms.kibo;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.jobdef.JobDefinition.KiboBasePath;
import com.inventorysync.jobdef.JobDefinitionLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KiboJobDefinitionTest {

    @Test
    void theExampleKiboJobLoadsWithTheDocumentedKeys() {
        JobDefinition job = JobDefinitionLoader.load(Path.of("jobs/kibo-nightly.yml"));
        assertThat(job.omni()).isNull();
        assertThat(job.kibo().basePath()).isEqualTo(KiboBasePath.INVENTORY_SPECIFIC);
        assertThat(job.kibo().identifier()).isEqualTo("sku");
        assertThat(job.kibo().maxItems()).isEqualTo(12_000);
        assertThat(job.kibo().batchSize()).isEqualTo(3_000);
        assertThat(job.kibo().locations()).containsEntry("WH-00", "Main DC").hasSize(2);
        assertThat(new KiboPayloadSplitter(job.kibo().maxItems(), job.kibo().batchSize()).split(21_000))
                .containsExactly(12_000, 9_000);
    }
}
