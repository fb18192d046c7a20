package com.inventorysync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.support.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
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
        try (Connection otherProcess = DriverManager.getConnection(
                PostgresTestDatabase.URL, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD)) {
            try (PreparedStatement s = otherProcess.prepareStatement("select pg_try_advisory_lock(?)")) {
                s.setLong(1, JobRunLock.lockKey("public", jobName));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).isTrue();
                }
            }
            assertThat(lock.tryAcquire(jobName)).isEmpty();
            assertThat(lock.isHeld(jobName))
                    .as("seen in pg_locks, held by the other session")
                    .isTrue();
        }
        assertThat(lock.isHeld(jobName)).isFalse();
        // the other session is gone, as a killed process's would be
        Optional<JobRunLock.Held> mine = lock.tryAcquire(jobName);
        assertThat(mine).isPresent();
        mine.get().close();
    }

    @Test
    void twoJobsThatWriteToTheSameOmsAccountDoNotRunAtOnceAndTheRefusalNamesTheOmsAndTheHolder() throws Exception {
        JobRunLock lock = lockOnPostgres();
        OmsTarget omni = OmsTarget.of("Omni", "http://127.0.0.1:18080/omni", "subscription-key-secret");
        JobRunLock.Attempt first = lock.tryAcquire(jobName, List.of(omni));
        assertThat(first).isInstanceOf(JobRunLock.Held.class);
        try {
            // the same OMS written as another spelling of its URL
            OmsTarget sameOms = OmsTarget.of("Omni", "HTTP://127.0.0.1:18080/omni/", "subscription-key-secret");
            JobRunLock.Attempt second = lock.tryAcquire(jobName + "-other", List.of(sameOms));
            assertThat(second).isInstanceOfSatisfying(JobRunLock.Busy.class, busy -> {
                assertThat(busy.oms()).isEqualTo(omni);
                assertThat(busy.holderJob()).isEqualTo(jobName);
                assertThat(busy.oms().toString())
                        .isEqualTo("Omni OMS at http://127.0.0.1:18080/omni")
                        .doesNotContain("subscription-key-secret");
            });
            assertThat(lock.isHeld(jobName + "-other"))
                    .as("the refused job holds nothing")
                    .isFalse();

            OmsTarget otherUrl = OmsTarget.of("Omni", "http://127.0.0.1:18081/omni", "subscription-key-secret");
            OmsTarget otherAccount = OmsTarget.of("Omni", "http://127.0.0.1:18080/omni", "another-account-key");
            for (OmsTarget other : List.of(otherUrl, otherAccount)) {
                JobRunLock.Attempt parallel = lock.tryAcquire(jobName + "-parallel", List.of(other));
                assertThat(parallel).as(other.toString()).isInstanceOf(JobRunLock.Held.class);
                ((JobRunLock.Held) parallel).close();
            }
        } finally {
            ((JobRunLock.Held) first).close();
        }
        JobRunLock.Attempt afterRelease = lock.tryAcquire(jobName + "-other", List.of(omni));
        assertThat(afterRelease).isInstanceOf(JobRunLock.Held.class);
        ((JobRunLock.Held) afterRelease).close();
    }

    @Test
    void anOmsLockHeldByAnotherProcessRefusesWithThatProcesssJobName() throws Exception {
        JobRunLock lock = lockOnPostgres();
        OmsTarget kibo = OmsTarget.of("Kibo", "https://t100-s200.example.test", "client-id");
        try (Connection otherProcess = DriverManager.getConnection(
                PostgresTestDatabase.URL, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD)) {
            try (PreparedStatement s = otherProcess.prepareStatement(
                    "select set_config('application_name', 'inventory-sync job nightly-eu', false), pg_try_advisory_lock(?)")) {
                s.setLong(1, JobRunLock.omsLockKey("public", kibo));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBoolean(2)).isTrue();
                }
            }
            assertThat(lock.tryAcquire(jobName, List.of(kibo))).isEqualTo(new JobRunLock.Busy(kibo, "nightly-eu"));
            assertThat(lock.isHeld(jobName))
                    .as("the job lock taken first was let go with the refusal")
                    .isFalse();
        }
        JobRunLock.Attempt mine = lock.tryAcquire(jobName, List.of(kibo));
        assertThat(mine).isInstanceOf(JobRunLock.Held.class);
        ((JobRunLock.Held) mine).close();
    }

    @Test
    void onH2TheLocksAreThisProcesssOwn() throws Exception {
        DataSourceProperties properties = new DataSourceProperties();
        properties.setUrl("jdbc:h2:mem:lock-test;DB_CLOSE_DELAY=-1");
        properties.setUsername("sa");
        properties.setPassword("");
        properties.afterPropertiesSet();
        JobRunLock lock = new JobRunLock(properties);
        OmsTarget omni = OmsTarget.of("Omni", "http://127.0.0.1:18082", "key");
        JobRunLock.Attempt first = lock.tryAcquire(jobName, List.of(omni));
        assertThat(first).isInstanceOf(JobRunLock.Held.class);
        assertThat(lock.tryAcquire(jobName + "-other", List.of(omni))).isEqualTo(new JobRunLock.Busy(omni, jobName));
        assertThat(lock.tryAcquire(jobName, List.of())).isEqualTo(new JobRunLock.Busy(null, jobName));
        ((JobRunLock.Held) first).close();
        JobRunLock.Attempt again = lock.tryAcquire(jobName + "-other", List.of(omni));
        assertThat(again).isInstanceOf(JobRunLock.Held.class);
        ((JobRunLock.Held) again).close();
    }

    @Test
    void anOmsIsNamedByItsNormalisedUrlAndAFingerprintOfItsAccountNeverTheKey() {
        assertThat(OmsTarget.of("Omni", "HTTPS://Omni.Example.com:443/api/", "k1"))
                .isEqualTo(OmsTarget.of("Omni", "https://omni.example.com/api", "k1"));
        assertThat(OmsTarget.of("Omni", "https://omni.example.com:8443/api", "k1"))
                .isNotEqualTo(OmsTarget.of("Omni", "https://omni.example.com/api", "k1"));
        OmsTarget target = OmsTarget.of("Omni", "https://omni.example.com", "very-secret-subscription-key");
        assertThat(target.accountFingerprint()).hasSize(16).doesNotContain("secret");
        assertThat(target.lockName()).doesNotContain("very-secret-subscription-key");
    }
}
