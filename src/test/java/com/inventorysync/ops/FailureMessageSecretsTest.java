package com.inventorysync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.config.Secrets;
import org.junit.jupiter.api.Test;

/** The failure message printed on the console and kept in summaries shows no secret, though it bypasses logging. */
class FailureMessageSecretsTest {

    @Test
    void secretsInAFailuresMessagesAreMasked() {
        Secrets.register("configured-secret-8080");
        RuntimeException library = new RuntimeException("rejected: Authorization: Bearer tok-1234567890abc");
        assertThat(FailureMessage.of(new IllegalStateException("wrapper", library)))
                .isEqualTo("rejected: Authorization: Bearer ****");
        assertThat(FailureMessage.of(new RuntimeException("sent configured-secret-8080 to the token endpoint")))
                .isEqualTo("sent **** to the token endpoint");
        assertThat(FailureMessage.of(new RuntimeException("Omni answered 503"))).isEqualTo("Omni answered 503");
    }
}
