package com.inventorysync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The names the unknown-property check knows are the settings records' components, the same names the configuration
 * processor writes for IDEs; misspellings are caught from every source, with the closest known name in the form of
 * that source.
 */
class KnownPropertiesTest {
    private final KnownProperties known = KnownProperties.ofProduct();

    @Test
    void theConfigurationMetadataForIdesListsExactlyTheKnownNamesWithDescriptionsAndDefaults() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in)
                    .as("metadata written by spring-boot-configuration-processor")
                    .isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        metadata.path("properties").forEach(p -> properties.put(p.path("name").asString(), p));

        assertThat(new TreeSet<>(properties.keySet())).isEqualTo(known.names());
        assertThat(properties.values())
                .allSatisfy(p -> assertThat(p.path("description").asString())
                        .as(p.toString())
                        .isNotBlank());
        assertThat(properties
                        .get("inventory-sync.http.max-attempts")
                        .path("defaultValue")
                        .asInt())
                .isEqualTo(8);
        assertThat(properties
                        .get("inventory-sync.http.request-timeout")
                        .path("defaultValue")
                        .asString())
                .isEqualTo("30s");
        assertThat(properties
                        .get("inventory-sync.sync.output-dir")
                        .path("defaultValue")
                        .asString())
                .isEqualTo("out");
    }

    @Test
    void everyRelaxedSpellingOfAKnownNameIsKnown() {
        assertThat(known.isKnown("inventory-sync.http.max-attempts")).isTrue();
        assertThat(known.isKnown("inventory-sync.http.maxAttempts")).isTrue();
        assertThat(known.isKnown("INVENTORY_SYNC_HTTP_MAX_ATTEMPTS")).isTrue();
        assertThat(known.isKnown("INVENTORY_SYNC_HTTP_MAXATTEMPTS")).isTrue();
        assertThat(known.isKnown("inventory-sync.kibo.poll-interval"))
                .as("KiboOptions shares the kibo prefix")
                .isTrue();
        assertThat(known.isKnown("inventory-sync.kibo.client-secret")).isTrue();
        assertThat(known.isKnown("inventory-sync.http.max-atempts")).isFalse();
    }

    @Test
    void aMisspelledEnvironmentVariableIsNamedWithTheClosestVariable() {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of(
                                        "INVENTORY_SYNC_HTTP_MAX_ATEMPTS", "2",
                                        "INVENTORY_SYNC_OMNI_BASE_URL", "http://127.0.0.1:1/omni",
                                        "INVENTORY_SYNC_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test",
                                        "PATH", "/usr/bin")));
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "commandLineArgs",
                        Map.of("inventory-sync.shutdown.grase", "10s", "spring.datasource.url", "jdbc:h2:mem:x")));

        assertThat(StartupCheck.unknownProperties(environment, known))
                .containsExactlyInAnyOrder(
                        "inventory-sync.shutdown.grase (on the command line) is not a setting of inventory-sync;"
                                + " did you mean inventory-sync.shutdown.grace?",
                        "INVENTORY_SYNC_HTTP_MAX_ATEMPTS (an environment variable) is not a setting of inventory-sync;"
                                + " did you mean INVENTORY_SYNC_HTTP_MAX_ATTEMPTS?");
    }

    @Test
    void aDatabaseUrlIsShownWithoutItsPassword() {
        assertThat(StartupCheck.withoutPassword("jdbc:postgresql://db:5432/inv?user=sync&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/inv?user=sync&password=****&ssl=true");
        assertThat(StartupCheck.withoutPassword("jdbc:postgresql://sync:s3cret@db:5432/inv"))
                .isEqualTo("jdbc:postgresql://sync:****@db:5432/inv");
    }
}
