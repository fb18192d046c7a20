package com.inventorysync.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.sql.DriverManager;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.stereotype.Component;

/**
 * One live run per job definition name, across processes and machines.
 *
 * <p>On PostgreSQL the lock is a session-level advisory lock taken on a connection kept open for
 * the whole run. It disappears with the process that holds it (a killed JVM's connection is closed
 * by the kernel and the server releases the lock), so holding it is also the proof that no live
 * process still runs an execution left STARTED in the job repository.
 *
 * <p>On the embedded H2 file database only one process can open the database at all, so a lock
 * within this JVM is enough.
 */
@Component
public class JobRunLock {
    private static final Set<String> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final DataSourceProperties dataSource;

    public JobRunLock(DataSourceProperties dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the lock for {@code jobName}, or returns empty when a live run holds it. */
    public Optional<Held> tryAcquire(String jobName) {
        if (!HELD_IN_THIS_JVM.add(jobName)) {
            return Optional.empty();
        }
        Connection connection = null;
        try {
            // A connection of its own, outside the pool: the lock lives exactly as long as this session.
            connection = DriverManager.getConnection(dataSource.determineUrl(), dataSource.determineUsername(),
                    dataSource.determinePassword());
            connection.setAutoCommit(true);
            if (isPostgres(connection)) {
                try (PreparedStatement s = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
                    s.setLong(1, lockKey(jobName, connection.getSchema()));
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            connection.close();
                            HELD_IN_THIS_JVM.remove(jobName);
                            return Optional.empty();
                        }
                    }
                }
                return Optional.of(new Held(jobName, connection, true));
            }
            connection.close();
            return Optional.of(new Held(jobName, null, false));
        } catch (SQLException e) {
            HELD_IN_THIS_JVM.remove(jobName);
            closeQuietly(connection);
            throw new IllegalStateException("Cannot take the run lock for job '" + jobName + "': " + e.getMessage(), e);
        }
    }

    /**
     * Whether some live process holds the lock of {@code jobName}, without taking it. On H2 only
     * this process can have the database open, so the answer is this JVM's own.
     */
    public boolean isHeld(String jobName) {
        if (HELD_IN_THIS_JVM.contains(jobName)) {
            return true;
        }
        try (Connection connection = DriverManager.getConnection(dataSource.determineUrl(), dataSource.determineUsername(),
                dataSource.determinePassword())) {
            if (!isPostgres(connection)) {
                return false;
            }
            long key = lockKey(jobName, connection.getSchema());
            // pg_locks shows a bigint advisory key as two 32-bit halves
            try (PreparedStatement s = connection.prepareStatement("select exists (select 1 from pg_locks where locktype = 'advisory'"
                    + " and classid = ?::bigint::oid and objid = ?::bigint::oid and objsubid = 1 and granted)")) {
                s.setLong(1, key >>> 32);
                s.setLong(2, key & 0xffffffffL);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot tell whether job '" + jobName + "' is running: " + e.getMessage(), e);
        }
    }

    /**
     * The advisory lock key: 64 bits of SHA-256 over a product-specific name, so other applications' keys do not
     * collide. Advisory locks are database-wide; the schema is part of the name, so that installations (or test
     * runs) in different schemas of one database never block each other's jobs of the same name.
     */
    static long lockKey(String jobName, String schema) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("inventory-sync/run/" + schema + "/" + jobName).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isPostgres(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the lock, if any, goes with the connection
            }
        }
    }

    /** A held run lock; closing it releases the lock. */
    public static final class Held implements AutoCloseable {
        private final String jobName;
        private final Connection connection;
        private final boolean advisory;
        private boolean released;

        private Held(String jobName, Connection connection, boolean advisory) {
            this.jobName = jobName;
            this.connection = connection;
            this.advisory = advisory;
        }

        public String jobName() {
            return jobName;
        }

        @Override
        public synchronized void close() {
            if (released) {
                return;
            }
            released = true;
            try {
                if (advisory) {
                    try (PreparedStatement s = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                        s.setLong(1, lockKey(jobName, connection.getSchema()));
                        s.execute();
                    } catch (SQLException ignored) {
                        // closing the session below releases it as well
                    }
                }
            } finally {
                closeQuietly(connection);
                HELD_IN_THIS_JVM.remove(jobName);
            }
        }
    }
}
