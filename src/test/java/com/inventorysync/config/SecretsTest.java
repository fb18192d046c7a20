package com.inventorysync.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@link Secrets#redact} hides in finished log text: registered values and the shapes that carry a secret. */
class SecretsTest {

    @Test
    void registeredValuesAreMaskedWhereverTheyAppear() {
        Secrets.register("reg-Value-4711-xyz");
        Secrets.register("ab");
        assertThat(Secrets.redact("java.io.IOException: refused reg-Value-4711-xyz\n\tat Foo.bar(Foo.java:1)"))
                .isEqualTo("java.io.IOException: refused ****\n\tat Foo.bar(Foo.java:1)");
        assertThat(Secrets.redact("prefixreg-Value-4711-xyzsuffix")).isEqualTo("prefix****suffix");
        assertThat(Secrets.redact("a tab and a crab"))
                .as("too short to register")
                .isEqualTo("a tab and a crab");
    }

    @Test
    void wellKnownShapesAreMaskedWithoutKnowingTheValue() {
        assertThat(Secrets.redact("http-outgoing-0 >> \"Ocp-Apim-Subscription-Key: k-123456[\\r][\\n]\""))
                .isEqualTo("http-outgoing-0 >> \"Ocp-Apim-Subscription-Key: ****[\\r][\\n]\"");
        assertThat(Secrets.redact("Authorization: Bearer eyJhbGciOi.J9.abc")).isEqualTo("Authorization: Bearer ****");
        assertThat(Secrets.redact("{Authorization=[Basic c2VjcmV0OmlkCg==], Accept=[json]}"))
                .isEqualTo("{Authorization=[Basic ****], Accept=[json]}");
        assertThat(Secrets.redact("grant_type=client_credentials&client_id=me&client_secret=s3cr3t&x=1"))
                .isEqualTo("grant_type=client_credentials&client_id=me&client_secret=****&x=1");
        assertThat(Secrets.redact("{\"access_token\":\"tok-9f8e7d\",\"token_type\":\"Bearer\",\"expires_in\":3600}"))
                .isEqualTo("{\"access_token\":\"****\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        assertThat(Secrets.redact(">> \"Key: shipedge-key-1[\\r][\\n]\"")).isEqualTo(">> \"Key: ****[\\r][\\n]\"");
        assertThat(Secrets.redact("kibo Bearer kibo-3f1c2d4e-aaaa")).isEqualTo("kibo Bearer ****");
        assertThat(Secrets.redact("inventory-sync.omni.subscription-key: must be set"))
                .as("a setting's name stays")
                .isEqualTo("inventory-sync.omni.subscription-key: must be set");
        assertThat(Secrets.redact("the primary key: sku and location"))
                .as("prose stays")
                .isEqualTo("the primary key: sku and location");
        assertThat(Secrets.redact("2 keys checked, Bearer token renewed"))
                .isEqualTo("2 keys checked, Bearer token renewed");
    }
}
