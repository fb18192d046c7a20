package com.inventorysync.support;

import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * What a functional test class runs against, set up once: the sandbox as the vendors, a PostgreSQL schema of the
 * class's own, an output folder, and the product's settings pointing at them. Before each test the sandbox is back
 * to its start (seed, logs, the start options' faults) and the sync tables are empty.
 *
 * <pre>{@code
 * @SpringBootTest
 * class SomeSyncTest {
 *     @RegisterExtension
 *     static final SyncTestEnvironment env = SyncTestEnvironment.sandbox(SyncFixtures.seed()).omni().fastRetries();
 *
 *     @DynamicPropertySource
 *     static void properties(DynamicPropertyRegistry registry) {
 *         env.registerWith(registry);
 *     }
 * }
 * }</pre>
 *
 * The sandbox starts when first needed (the Spring context's settings, or before the class's first test) and stops
 * after the class; the output folder is made with the settings and deleted after the class. The tables are cleared
 * only for a class whose Spring context got its database from here: a class without Spring gets the sandbox alone.
 */
public final class SyncTestEnvironment implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    public static final String SYNC_OUTPUT = "inventory-sync.sync.output-dir";
    public static final String RECONCILE_OUTPUT = "inventory-sync.reconcile.output-dir";

    private enum Vendor {
        OMNI,
        KIBO,
        SHIPEDGE,
        NEWSTORE
    }

    private final SandboxOptions options;
    private final List<Vendor> vendors = new ArrayList<>();
    private final Map<String, String> outputs = new LinkedHashMap<>(Map.of(SYNC_OUTPUT, ""));
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> extraTables = new ArrayList<>();
    private boolean fastRetries;
    private SandboxServer sandbox;
    private Path output;
    private String schema;

    private SyncTestEnvironment(SandboxOptions options) {
        this.options = options;
    }

    public static SyncTestEnvironment sandbox(SandboxOptions options) {
        return new SyncTestEnvironment(options);
    }

    public static SyncTestEnvironment sandbox(SandboxSeed seed) {
        return sandbox(SandboxOptions.of(seed));
    }

    /** The sandbox as Omni. */
    public SyncTestEnvironment omni() {
        vendors.add(Vendor.OMNI);
        return this;
    }

    public SyncTestEnvironment kibo() {
        vendors.add(Vendor.KIBO);
        return this;
    }

    public SyncTestEnvironment shipEdge() {
        vendors.add(Vendor.SHIPEDGE);
        return this;
    }

    public SyncTestEnvironment newStore() {
        vendors.add(Vendor.NEWSTORE);
        return this;
    }

    /** {@link ProductSettings#fastRetries()}. */
    public SyncTestEnvironment fastRetries() {
        fastRetries = true;
        return this;
    }

    /**
     * Points {@code property} at {@code folder} within the output folder ({@code ""}: the output folder itself).
     * {@link #SYNC_OUTPUT} is the output folder unless set here.
     */
    public SyncTestEnvironment output(String property, String folder) {
        outputs.put(property, folder);
        return this;
    }

    /** A setting of the test's own; it wins over those the environment sets. */
    public SyncTestEnvironment with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Tables emptied before each test after the sync tables, in this order (children first). */
    public SyncTestEnvironment clearing(String... tables) {
        extraTables.addAll(List.of(tables));
        return this;
    }

    /**
     * Gives the test's Spring context a fresh schema, named after the calling test class, and the settings. Call it
     * from the class's {@code @DynamicPropertySource} method.
     */
    public void registerWith(DynamicPropertyRegistry registry) {
        Class<?> testClass = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .getCallerClass();
        schema = PostgresTestDatabase.register(registry, testClass);
        settings().registerWith(registry);
    }

    /** The product's settings without the database: vendors, output folders, retries and the test's own. */
    public ProductSettings settings() {
        SandboxServer server = sandbox();
        ProductSettings settings = ProductSettings.create();
        for (Vendor vendor : vendors) {
            switch (vendor) {
                case OMNI -> settings.omni(server);
                case KIBO -> settings.kibo(server);
                case SHIPEDGE -> settings.shipEdge(server);
                case NEWSTORE -> settings.newStore(server);
            }
        }
        outputs.forEach((property, folder) ->
                settings.with(property, output().resolve(folder).toString()));
        if (fastRetries) {
            settings.fastRetries();
        }
        properties.forEach(settings::with);
        return settings;
    }

    public synchronized SandboxServer sandbox() {
        if (sandbox == null) {
            sandbox = SandboxServer.start(options);
        }
        return sandbox;
    }

    public synchronized Path output() {
        if (output == null) {
            try {
                output = Files.createTempDirectory("sync-test-output-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return output;
    }

    /** The schema {@link #registerWith} made, for a child process or a direct connection. */
    public String schema() {
        if (schema == null) {
            throw new IllegalStateException(
                    "no schema yet: registerWith(registry) makes it when the Spring context starts");
        }
        return schema;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        sandbox();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        sandbox().reset();
        if (schema != null) {
            JdbcTemplate jdbc = SpringExtension.getApplicationContext(context).getBean(JdbcTemplate.class);
            SyncFixtures.clearSyncTables(jdbc);
            extraTables.forEach(table -> jdbc.update("delete from " + table));
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws IOException {
        if (sandbox != null) {
            sandbox.close();
        }
        if (output != null) {
            try (Stream<Path> files = Files.walk(output)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
