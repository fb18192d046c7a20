package com.inventorysync.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The local PostgreSQL the tests run against. Each test class gets a schema of its own (dropped and
 * re-created), so test classes and concurrent builds never see each other's rows.
 * Settings: INVENTORY_SYNC_TEST_PG_URL (default jdbc:postgresql://127.0.0.1:5432/test),
 * INVENTORY_SYNC_TEST_PG_USER (default postgres), INVENTORY_SYNC_TEST_PG_PASSWORD (default empty).
 */
public final class PostgresTestDatabase {
    public static final String URL = env("INVENTORY_SYNC_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = env("INVENTORY_SYNC_TEST_PG_USER", "postgres");
    public static final String PASSWORD = env("INVENTORY_SYNC_TEST_PG_PASSWORD", "");

    private PostgresTestDatabase() {}

    /** Creates an empty schema for the test class and returns its name. */
    public static String freshSchema(Class<?> testClass) {
        String schema = ("t_" + testClass.getSimpleName() + "_"
                        + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + schema + " cascade");
            s.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot reach the test PostgreSQL at " + URL + " (set INVENTORY_SYNC_TEST_PG_URL): "
                            + e.getMessage(),
                    e);
        }
        return schema;
    }

    /** Drops a test's schema and everything in it: a benchmark's million-row tables, left behind, keep autovacuum busy. */
    public static void drop(String schema) {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop the test schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /** JDBC URL whose connections use {@code schema} first. */
    public static String urlFor(String schema) {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Points a Spring test context at a fresh schema; Flyway migrates it on start. */
    public static String register(DynamicPropertyRegistry registry, Class<?> testClass) {
        String schema = freshSchema(testClass);
        registry.add("spring.datasource.url", () -> urlFor(schema));
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> PASSWORD);
        registry.add("spring.flyway.schemas", () -> schema);
        registry.add("spring.flyway.default-schema", () -> schema);
        // Spring keeps test contexts (and their pools) cached: a small pool each keeps the server's 100 connections
        // enough.
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "5");
        return schema;
    }

    /** Migrates a schema with the product's own Flyway migrations, for tests that run the product as a child process. */
    public static DataSource migrate(String schema) {
        DataSource dataSource = new DriverManagerDataSource(urlFor(schema), USER, PASSWORD);
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .locations("classpath:db/migration/common", "classpath:db/migration/postgresql")
                .load()
                .migrate();
        return dataSource;
    }

    public static Connection connect(String schema) throws SQLException {
        return DriverManager.getConnection(urlFor(schema), USER, PASSWORD);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
