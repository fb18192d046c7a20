package com.inventorysync.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.stereotype.Component;

/**
 * One live run per job definition name, and one job at a time writing to each OMS account, across
 * processes and machines.
 *
 * <p>On PostgreSQL each lock is a session-level advisory lock taken on a connection kept open for
 * the whole run. It disappears with the process that holds it (a killed JVM's connection is closed
 * by the kernel and the server releases the lock), so holding it is also the proof that no live
 * process still runs an execution left STARTED in the job repository. The connection carries the
 * job's name as its {@code application_name}, which is how a refused run learns who holds the lock.
 *
 * <p>On the embedded H2 file database only one process can open the database at all, so a lock
 * within this JVM is enough.
 */
@Component
public class JobRunLock {
    private static final String APPLICATION_NAME_PREFIX = "inventory-sync job ";
    /** Lock name to the job holding it, for the locks held by this JVM. */
    private static final Map<String, String> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final DataSourceProperties dataSource;

    public JobRunLock(DataSourceProperties dataSource) {
        this.dataSource = dataSource;
    }

    /** What asking for the locks came to: held, or refused because another run holds one of them. */
    public sealed interface Attempt permits Held, Busy {}

    /**
     * Another live run holds a lock this run needs.
     *
     * @param oms       the OMS another job is writing to, or null when the job itself is being run
     * @param holderJob the job holding the lock, when it can be told (null otherwise)
     */
    public record Busy(OmsTarget oms, String holderJob) implements Attempt {}

    /** Takes the lock for {@code jobName}, or returns empty when a live run holds it. */
    public Optional<Held> tryAcquire(String jobName) {
        return tryAcquire(jobName, List.of()) instanceof Held held ? Optional.of(held) : Optional.empty();
    }

    /**
     * Takes the job's lock and one lock per OMS it writes to, all or none. Never waits: a lock held
     * elsewhere answers {@link Busy} at once, so two runs can never deadlock on each other.
     */
    public Attempt tryAcquire(String jobName, List<OmsTarget> writesTo) {
        List<LockName> names = new ArrayList<>();
        names.add(new LockName("job/" + jobName, null));
        writesTo.stream().distinct().forEach(t -> names.add(new LockName("oms/" + t.lockName(), t)));
        List<String> takenHere = new ArrayList<>();
        for (LockName name : names) {
            String holder = HELD_IN_THIS_JVM.putIfAbsent(name.name(), jobName);
            if (holder != null) {
                takenHere.forEach(HELD_IN_THIS_JVM::remove);
                return new Busy(name.oms(), holder);
            }
            takenHere.add(name.name());
        }
        Connection connection = null;
        try {
            // A connection of its own, outside the pool: the locks live exactly as long as this session.
            connection = DriverManager.getConnection(
                    dataSource.determineUrl(), dataSource.determineUsername(), dataSource.determinePassword());
            connection.setAutoCommit(true);
            if (!DatabaseKind.isPostgres(connection)) {
                connection.close();
                return new Held(jobName, null, List.of(), takenHere);
            }
            try (PreparedStatement s = connection.prepareStatement("select set_config('application_name', ?, false)")) {
                s.setString(1, applicationName(jobName));
                s.execute();
            }
            String schema = currentSchema(connection);
            List<Long> keys = new ArrayList<>();
            for (LockName name : names) {
                long key = name.oms() == null ? lockKey(schema, jobName) : omsLockKey(schema, name.oms());
                if (!tryAdvisoryLock(connection, key)) {
                    String holder = holderOf(connection, key);
                    connection.close();
                    takenHere.forEach(HELD_IN_THIS_JVM::remove);
                    return new Busy(name.oms(), holder);
                }
                keys.add(key);
            }
            return new Held(jobName, connection, keys, takenHere);
        } catch (SQLException e) {
            takenHere.forEach(HELD_IN_THIS_JVM::remove);
            closeQuietly(connection);
            throw new IllegalStateException("Cannot take the run lock for job '" + jobName + "': " + e.getMessage(), e);
        }
    }

    private record LockName(String name, OmsTarget oms) {}

    /**
     * Whether some live process holds the lock of {@code jobName}, without taking it. On H2 only
     * this process can have the database open, so the answer is this JVM's own.
     */
    public boolean isHeld(String jobName) {
        if (HELD_IN_THIS_JVM.containsKey("job/" + jobName)) {
            return true;
        }
        try (Connection connection = DriverManager.getConnection(
                dataSource.determineUrl(), dataSource.determineUsername(), dataSource.determinePassword())) {
            if (!DatabaseKind.isPostgres(connection)) {
                return false;
            }
            return holderSession(connection, lockKey(currentSchema(connection), jobName))
                    .isPresent();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot tell whether job '" + jobName + "' is running: " + e.getMessage(), e);
        }
    }

    private static boolean tryAdvisoryLock(Connection connection, long key) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
            s.setLong(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The job whose session holds {@code key}, when the server shows it (null when not). */
    private static String holderOf(Connection connection, long key) throws SQLException {
        String application = holderSession(connection, key).orElse(null);
        return application != null && application.startsWith(APPLICATION_NAME_PREFIX)
                ? application.substring(APPLICATION_NAME_PREFIX.length())
                : null;
    }

    /** The application name of the session holding {@code key} ("" when not visible), or empty when none holds it. */
    private static Optional<String> holderSession(Connection connection, long key) throws SQLException {
        // pg_locks shows a bigint advisory key as two 32-bit halves
        try (PreparedStatement s = connection.prepareStatement("select coalesce(a.application_name, '') from pg_locks l"
                + " left join pg_stat_activity a on a.pid = l.pid where l.locktype = 'advisory'"
                + " and l.classid = ?::bigint::oid and l.objid = ?::bigint::oid and l.objsubid = 1 and l.granted")) {
            s.setLong(1, key >>> 32);
            s.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** PostgreSQL keeps 63 bytes of an application name. */
    private static String applicationName(String jobName) {
        String name = APPLICATION_NAME_PREFIX + jobName;
        while (name.getBytes(StandardCharsets.UTF_8).length > 63) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    /**
     * The advisory lock key of a job: 64 bits of SHA-256 over a product-specific name. Advisory locks
     * are database-wide, so the schema is part of the name: installations that share a database in
     * schemas of their own do not block each other.
     */
    static long lockKey(String schema, String jobName) {
        return key("inventory-sync/run/" + schema + "/" + jobName);
    }

    /** The advisory lock key of an OMS account, in the same way. */
    static long omsLockKey(String schema, OmsTarget oms) {
        return key("inventory-sync/oms/" + schema + "/" + oms.lockName());
    }

    private static long key(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String currentSchema(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("select current_schema()");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the locks, if any, go with the connection
            }
        }
    }

    /** The locks of one run; closing it releases them all. */
    public static final class Held implements Attempt, AutoCloseable {
        private final String jobName;
        private final Connection connection;
        private final List<Long> advisoryKeys;
        private final List<String> namesInThisJvm;
        private boolean released;

        private Held(String jobName, Connection connection, List<Long> advisoryKeys, List<String> namesInThisJvm) {
            this.jobName = jobName;
            this.connection = connection;
            this.advisoryKeys = advisoryKeys;
            this.namesInThisJvm = namesInThisJvm;
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
                for (long key : advisoryKeys) {
                    try (PreparedStatement s = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                        s.setLong(1, key);
                        s.execute();
                    } catch (SQLException ignored) {
                        // closing the session below releases it as well
                    }
                }
            } finally {
                closeQuietly(connection);
                namesInThisJvm.forEach(HELD_IN_THIS_JVM::remove);
            }
        }
    }
}
