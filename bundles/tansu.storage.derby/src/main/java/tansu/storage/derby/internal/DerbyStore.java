package tansu.storage.derby.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;
import tansu.api.storage.RaftStorage;
import tansu.api.storage.Snapshot;
import tansu.api.storage.StoredState;

/**
 * A node's Raft state in one Derby database. Every method commits before it returns; Derby syncs its
 * transaction log on commit, so a returned call is on disk.
 *
 * <p>One connection for the consensus driver's thread, its statements prepared once; a second one for
 * the node's own snapshots, which another thread stores while the driver goes on appending.
 */
final class DerbyStore implements RaftStorage, AutoCloseable {

    /** The schema before snapshot files (tests make such a database). */
    static final String[] SCHEMA = {
        "CREATE TABLE meta (name VARCHAR(64) PRIMARY KEY, val VARCHAR(256) NOT NULL)",
        "CREATE TABLE hard_state (id INT PRIMARY KEY, term BIGINT NOT NULL, vote VARCHAR(64), commit_index BIGINT NOT NULL)",
        "CREATE TABLE log (idx BIGINT PRIMARY KEY, term BIGINT NOT NULL, ts BIGINT NOT NULL, kind SMALLINT NOT NULL,"
            + " machine VARCHAR(128) NOT NULL, origin VARCHAR(64) NOT NULL, request BIGINT NOT NULL, data BLOB(64M) NOT NULL)",
        "CREATE TABLE snapshot (id INT PRIMARY KEY, idx BIGINT NOT NULL, term BIGINT NOT NULL, voters VARCHAR(16000) NOT NULL,"
            + " learners VARCHAR(16000) NOT NULL, data BLOB(2G) NOT NULL)",
    };
    /**
     * Where the snapshot's data is a file ({@link SnapshotFiles}) and its checksum; {@code data} is then
     * empty. Added to databases made before, whose snapshot is still read from {@code data}.
     */
    private static final String[] SNAPSHOT_FILE_COLUMNS = {
        "ALTER TABLE snapshot ADD COLUMN file VARCHAR(255)",
        "ALTER TABLE snapshot ADD COLUMN crc BIGINT",
    };

    private final Connection connection;
    private final SnapshotFiles files;
    /** Guarded by {@link #snapshotLock}, as is storing any snapshot. */
    private final Connection snapshotConnection;
    private final Object snapshotLock = new Object();
    /**
     * Index of the snapshot on disk: the log at or below it is covered. Its rows go a few at a time with
     * later appends, in their transactions: deleting ten thousand rows at once stalled the node for a
     * tenth of a second or more, every snapshot. Written under {@link #snapshotLock}.
     */
    private volatile long storedSnapshot;
    private final PreparedStatement insertEntry;
    private final PreparedStatement deleteFrom;
    private final PreparedStatement updateHardState;
    private final PreparedStatement deleteRange;
    private long lastIndex;
    /** The log at or below this index is gone. */
    private long compactedTo;
    static final int COMPACTION_ROWS = 128;

    DerbyStore(Connection connection, Connection snapshotConnection, SnapshotFiles files) throws SQLException {
        this.connection = connection;
        this.files = files;
        this.snapshotConnection = snapshotConnection;
        connection.setAutoCommit(false);
        snapshotConnection.setAutoCommit(false);
        createSchemaIfAbsent();
        insertEntry = connection.prepareStatement(
            "INSERT INTO log (idx, term, ts, kind, machine, origin, request, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        deleteFrom = connection.prepareStatement("DELETE FROM log WHERE idx >= ?");
        updateHardState = connection.prepareStatement("UPDATE hard_state SET term = ?, vote = ?, commit_index = ? WHERE id = 1");
        // Bounded below as well: deleted rows stay in the index until Derby reclaims them, and a scan
        // from the start of the log walked past all of them on every append (3x the CPU, measured).
        deleteRange = connection.prepareStatement("DELETE FROM log WHERE idx > ? AND idx <= ?");
    }

    private void createSchemaIfAbsent() throws SQLException {
        boolean exists;
        try (ResultSet tables = connection.getMetaData().getTables(null, null, "META", null)) {
            exists = tables.next();
        }
        if (exists) {
            addSnapshotFileColumnsIfAbsent(connection);
        } else {
            createSchema(connection);
        }
        // Apart from the schema: a database unpacked from the template has none yet.
        if (meta("node_id") == null) {
            try (Statement s = connection.createStatement()) {
                s.execute("INSERT INTO meta (name, val) VALUES ('node_id', '" + UUID.randomUUID() + "')");
            }
        }
        connection.commit();
    }

    /** The tables of an empty database, committed ({@link DatabaseTemplate} makes one at build time). */
    static void createSchema(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
            s.execute("INSERT INTO hard_state (id, term, vote, commit_index) VALUES (1, 0, NULL, 0)");
        }
        addSnapshotFileColumnsIfAbsent(connection);
    }

    /** Adds the snapshot-file columns where they are missing, and commits. */
    private static void addSnapshotFileColumnsIfAbsent(Connection connection) throws SQLException {
        try (ResultSet column = connection.getMetaData().getColumns(null, null, "SNAPSHOT", "FILE")) {
            if (column.next()) {
                return;
            }
        }
        try (Statement s = connection.createStatement()) {
            for (String ddl : SNAPSHOT_FILE_COLUMNS) {
                s.execute(ddl);
            }
        }
        connection.commit();
    }

    @Override
    public StoredState load() throws IOException {
        try {
            String nodeId = meta("node_id");
            String clusterId = meta("cluster_id");
            HardState hardState = hardState();
            Snapshot snapshot = snapshot();
            List<LogEntry> entries = new ArrayList<>();
            long after = snapshot == null ? 0 : snapshot.index();
            try (PreparedStatement q = connection.prepareStatement(
                "SELECT idx, term, ts, kind, machine, origin, request, data FROM log WHERE idx > ? ORDER BY idx")) {
                q.setLong(1, after);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new LogEntry(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                            LogEntry.Type.values()[rs.getShort(4)], rs.getString(5), rs.getString(6), rs.getLong(7),
                            rs.getBytes(8)));
                    }
                }
            }
            java.util.Map<String, String> peers = peers();
            long oldest = oldestRow();
            connection.commit();
            lastIndex = entries.isEmpty() ? after : entries.get(entries.size() - 1).index();
            storedSnapshot = after;
            compactedTo = oldest == 0 ? after : Math.min(after, oldest - 1);
            return new StoredState(nodeId, clusterId, hardState, snapshot, entries, peers);
        } catch (SQLException e) {
            throw rollback("load", e);
        } catch (IOException e) {
            // A snapshot file refused: the read transaction still has to end.
            rollbackQuietly(connection, e);
            throw e;
        }
    }

    @Override
    public void append(HardState hardState, List<LogEntry> entries) throws IOException {
        try {
            if (!entries.isEmpty()) {
                long first = entries.get(0).index();
                if (first <= lastIndex) {
                    deleteFrom.setLong(1, first);
                    deleteFrom.executeUpdate();
                }
                for (LogEntry e : entries) {
                    insertEntry.setLong(1, e.index());
                    insertEntry.setLong(2, e.term());
                    insertEntry.setLong(3, e.timestamp());
                    insertEntry.setShort(4, (short) e.type().ordinal());
                    insertEntry.setString(5, e.machine());
                    insertEntry.setString(6, e.origin());
                    insertEntry.setLong(7, e.requestId());
                    insertEntry.setBytes(8, e.data());
                    insertEntry.addBatch();
                }
                insertEntry.executeBatch();
            }
            long compactTo = storedSnapshot;
            long compacted = compactedTo;
            if (compactedTo < compactTo) {
                compacted = Math.min(compactTo, compactedTo + COMPACTION_ROWS);
                deleteRange.setLong(1, compactedTo);
                deleteRange.setLong(2, compacted);
                deleteRange.executeUpdate();
            }
            if (hardState != null) {
                updateHardState.setLong(1, hardState.term());
                updateHardState.setString(2, hardState.vote());
                updateHardState.setLong(3, hardState.commit());
                updateHardState.executeUpdate();
            }
            connection.commit();
            compactedTo = compacted;
            if (!entries.isEmpty()) {
                lastIndex = entries.get(entries.size() - 1).index();
            }
        } catch (SQLException e) {
            throw rollback("append", e);
        }
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) throws IOException {
        synchronized (snapshotLock) {
            if (snapshot.index() <= storedSnapshot) {
                return;
            }
            store(snapshotConnection, snapshot, false);
            storedSnapshot = snapshot.index();
        }
    }

    @Override
    public void installSnapshot(Snapshot snapshot) throws IOException {
        // Waits for an own snapshot being stored, if any: the leader's must not be overwritten by it.
        synchronized (snapshotLock) {
            store(connection, snapshot, true);
            storedSnapshot = snapshot.index();
        }
        lastIndex = snapshot.index();
        compactedTo = snapshot.index();
    }

    /**
     * Stores the snapshot, its data as a file first; with {@code wholeLog} drops the entire log (else
     * later appends drop what it covers). Under {@link #snapshotLock}.
     */
    private void store(Connection on, Snapshot snapshot, boolean wholeLog) throws IOException {
        String file = SnapshotFiles.name(snapshot.index(), snapshot.term());
        long crc = files.write(file, snapshot.data());
        try (Statement s = on.createStatement();
             PreparedStatement insert = on.prepareStatement(
                 "INSERT INTO snapshot (id, idx, term, voters, learners, data, file, crc) VALUES (1, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement drop = on.prepareStatement("DELETE FROM log")) {
            s.executeUpdate("DELETE FROM snapshot");
            insert.setLong(1, snapshot.index());
            insert.setLong(2, snapshot.term());
            insert.setString(3, String.join(",", snapshot.voters()));
            insert.setString(4, String.join(",", snapshot.learners()));
            insert.setBytes(5, new byte[0]);
            insert.setString(6, file);
            insert.setLong(7, crc);
            insert.executeUpdate();
            if (wholeLog) {
                drop.executeUpdate();
            }
            on.commit();
        } catch (SQLException e) {
            throw rollback(on, "snapshot", e);
        }
        files.removeAllBut(file);
    }

    @Override
    public void saveClusterId(String clusterId) throws IOException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM meta WHERE name = 'cluster_id'");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO meta (name, val) VALUES ('cluster_id', ?)")) {
            delete.executeUpdate();
            insert.setString(1, clusterId);
            insert.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw rollback("saveClusterId", e);
        }
    }

    @Override
    public void savePeerAddress(String nodeId, String address) throws IOException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM meta WHERE name = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO meta (name, val) VALUES (?, ?)")) {
            delete.setString(1, PEER + nodeId);
            delete.executeUpdate();
            insert.setString(1, PEER + nodeId);
            insert.setString(2, address);
            insert.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw rollback("savePeerAddress", e);
        }
    }

    private static final String PEER = "peer:";

    private java.util.Map<String, String> peers() throws SQLException {
        java.util.Map<String, String> peers = new java.util.TreeMap<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT name, val FROM meta WHERE name LIKE 'peer:%'");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                peers.put(rs.getString(1).substring(PEER.length()), rs.getString(2));
            }
        }
        return peers;
    }

    /** The index of the oldest row of the log; 0 where it is empty. */
    private long oldestRow() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT MIN(idx) FROM log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** How many rows the log table holds, compacted ones included (for tests). */
    long logRows() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM log")) {
            rs.next();
            long rows = rs.getLong(1);
            connection.commit();
            return rows;
        }
    }

    private String meta(String name) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("SELECT val FROM meta WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private HardState hardState() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT term, vote, commit_index FROM hard_state WHERE id = 1")) {
            rs.next();
            return new HardState(rs.getLong(1), rs.getString(2), rs.getLong(3));
        }
    }

    /** The stored snapshot, or {@code null}; removes snapshot files a crash left behind. */
    private Snapshot snapshot() throws SQLException, IOException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT idx, term, voters, learners, data, file, crc FROM snapshot WHERE id = 1")) {
            if (!rs.next()) {
                files.removeAllBut(null);
                return null;
            }
            String file = rs.getString(6);
            byte[] data = file == null ? rs.getBytes(5) : files.read(file, rs.getLong(7));
            files.removeAllBut(file);
            return new Snapshot(rs.getLong(1), rs.getLong(2), ids(rs.getString(3)), ids(rs.getString(4)), data);
        }
    }

    private static List<String> ids(String commaSeparated) {
        return commaSeparated.isEmpty() ? List.of() : Arrays.asList(commaSeparated.split(","));
    }

    private IOException rollback(String what, SQLException cause) {
        return rollback(connection, what, cause);
    }

    private static IOException rollback(Connection on, String what, SQLException cause) {
        rollbackQuietly(on, cause);
        return new IOException("Derby storage " + what + " failed: " + cause.getMessage(), cause);
    }

    private static void rollbackQuietly(Connection on, Exception cause) {
        try {
            on.rollback();
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    @Override
    public void close() throws SQLException {
        synchronized (snapshotLock) {
            snapshotConnection.close();
        }
        connection.close();
    }
}
