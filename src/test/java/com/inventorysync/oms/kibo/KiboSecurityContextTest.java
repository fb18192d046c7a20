package com.inventorysync.oms.kibo;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.support.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Security's OAuth 2 client is on the class path for Kibo's tokens only: the command-line
 * application must start as before, with no web security, no generated user or password, and no
 * client registration of Boot's making (the Kibo client builds its own from inventory-sync.kibo.*).
 */
@SpringBootTest
// Close the context after the class: a cached context keeps its connection pool open for the whole build.
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class KiboSecurityContextTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, KiboSecurityContextTest.class);
    }

    @Autowired
    ApplicationContext context;

    @Test
    void theCommandLineApplicationStartsWithoutWebSecurityOrAGeneratedUser(CapturedOutput output) {
        assertThat(context.getBeansOfType(KiboClients.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(UserDetailsService.class)).isEmpty();
        assertThat(context.getBeanNamesForType(ClientRegistrationRepository.class))
                .isEmpty();
        assertThat(context.containsBean("springSecurityFilterChain")).isFalse();
        assertThat(output.getAll()).doesNotContainIgnoringCase("generated security password");
    }
}
