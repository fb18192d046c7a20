package com.inventorysync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.support.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;

class JobRunLockTest {
    private final String jobName = "lock-test-" + UUID.randomUUID();

    private JobRunLock lockOnPostgres() throws Exception {
        DataSourceProperties properties = new DataSourceProperties();
        properties.setUrl(PostgresTestDatabase.URL);
        properties.setUsername(PostgresTestDatabase.USER);
        properties.setPassword(PostgresTestDatabase.PASSWORD);
        properties.afterPropertiesSet();
        return new JobRunLock(properties);
    }

    @Test
    void aSecondRunOfTheSameJobIsRefusedUntilTheFirstReleases() throws Exception {
        JobRunLock lock = lockOnPostgres();
        assertThat(lock.isHeld(jobName)).isFalse();
        Optional<JobRunLock.Held> first = lock.tryAcquire(jobName);
        assertThat(first).isPresent();
        assertThat(lock.isHeld(jobName)).isTrue();
        assertThat(lock.tryAcquire(jobName)).isEmpty();
        assertThat(lock.tryAcquire(jobName + "-other")).hasValueSatisfying(JobRunLock.Held::close);
        first.get().close();
        Optional<JobRunLock.Held> again = lock.tryAcquire(jobName);
        assertThat(again).isPresent();
        again.get().close();
    }

    @Test
    void aLockHeldByAnotherSessionBlocksAndIsFreedWhenThatSessionDies() throws Exception {
        JobRunLock lock = lockOnPostgres();
        try (Connection otherProcess = DriverManager.getConnection(PostgresTestDatabase.URL, PostgresTestDatabase.USER,
                PostgresTestDatabase.PASSWORD)) {
            try (PreparedStatement s = otherProcess.prepareStatement("select pg_try_advisory_lock(?)")) {
                s.setLong(1, JobRunLock.lockKey(jobName, otherProcess.getSchema()));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).isTrue();
                }
            }
            assertThat(lock.tryAcquire(jobName)).isEmpty();
            assertThat(lock.isHeld(jobName)).as("seen in pg_locks, held by the other session").isTrue();
        }
        assertThat(lock.isHeld(jobName)).isFalse();
        // the other session is gone, as a killed process's would be
        Optional<JobRunLock.Held> mine = lock.tryAcquire(jobName);
        assertThat(mine).isPresent();
        mine.get().close();
    }
}
