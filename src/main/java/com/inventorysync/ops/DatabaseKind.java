package com.inventorysync.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which database the product runs on: PostgreSQL in production, the embedded H2 file database
 * (in PostgreSQL mode) by default. The few statements that differ (COPY, set-based upserts,
 * advisory locks) ask here.
 */
public final class DatabaseKind {
    private DatabaseKind() {}

    public static boolean isPostgres(Connection connection) throws SQLException {
        return connection
                .getMetaData()
                .getDatabaseProductName()
                .toLowerCase(Locale.ROOT)
                .contains("postgres");
    }

    public static boolean isPostgres(JdbcTemplate jdbc) {
        return Boolean.TRUE.equals(jdbc.execute((Connection c) -> isPostgres(c)));
    }
}
