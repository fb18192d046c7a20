package com.inventorysync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** {@code inventory-sync.progress.interval}: its default, a value given, and what is refused at startup. */
class ProgressPropertiesTest {
    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ProgressProperties.class)
    static class Config {}

    @Test
    void defaultsToTenSeconds() {
        context.run(c -> assertThat(c.getBean(ProgressProperties.class).interval())
                .isEqualTo(Duration.ofSeconds(10))
                .as("the default of code built outside the context")
                .isEqualTo(ProgressProperties.DEFAULT_INTERVAL));
    }

    @Test
    void takesAnyDuration() {
        context.withPropertyValues("inventory-sync.progress.interval=200ms")
                .run(c -> assertThat(c.getBean(ProgressProperties.class).interval())
                        .isEqualTo(Duration.ofMillis(200)));
    }

    @Test
    void refusesZeroAndNegativeIntervalsAtStartup() {
        for (String bad : new String[] {"0s", "-5s"}) {
            context.withPropertyValues("inventory-sync.progress.interval=" + bad)
                    .run(c -> assertThat(c)
                            .hasFailed()
                            .getFailure()
                            .rootCause()
                            .hasMessageContaining("inventory-sync.progress.interval")
                            .hasMessageContaining("must be a positive duration"));
        }
    }
}
