package com.inventorysync.support;

import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A database with the product's migrations applied, for tests that run one class on both databases. */
public final class MigratedDatabase {
    private MigratedDatabase() {}

    /**
     * @param database {@code postgresql} (a fresh schema of the local PostgreSQL, named after the
     *     test class) or {@code h2} (a fresh in-memory database in PostgreSQL mode)
     */
    public static DataSource of(String database, Class<?> testClass) {
        if (database.equals("postgresql")) {
            return PostgresTestDatabase.migrate(PostgresTestDatabase.freshSchema(testClass));
        }
        DataSource h2 = new DriverManagerDataSource(
                "jdbc:h2:mem:" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "sa",
                "");
        Flyway.configure()
                .dataSource(h2)
                .locations("classpath:db/migration/common", "classpath:db/migration/h2")
                .load()
                .migrate();
        return h2;
    }
}
