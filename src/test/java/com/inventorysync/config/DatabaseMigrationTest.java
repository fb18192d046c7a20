package com.inventorysync.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.support.PostgresTestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest
class DatabaseMigrationTest {
    static String schema;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        schema = PostgresTestDatabase.register(registry, DatabaseMigrationTest.class);
    }

    @Autowired
    DataSource dataSource;

    @Autowired
    JobRepository jobRepository;

    @Test
    void flywayCreatesTheJobRepositoryInTheTestSchemaAndTheRepositoryIsJdbc() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Integer tables = jdbc.queryForObject(
                "select count(*) from information_schema.tables where table_schema = ? and table_name like 'batch_%'",
                Integer.class, schema);
        assertThat(tables).isGreaterThanOrEqualTo(6);
        assertThat(jobRepository).isNotInstanceOf(ResourcelessJobRepository.class);
    }
}
