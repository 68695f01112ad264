package tansu.storage.derby.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
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

    /** The schema before snapshot files and log runs (tests make such a database). */
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

    /**
     * The log: a row per run of entries one append wrote, which costs Derby one insert (and one index
     * entry) per fsync rather than per entry. Replaces the table {@code log} of a row per entry.
     */
    private static final String LOG_RUNS =
        "CREATE TABLE log_run (first_idx BIGINT PRIMARY KEY, last_idx BIGINT NOT NULL, data BLOB(2G) NOT NULL)";
    private static final String INSERT_RUN = "INSERT INTO log_run (first_idx, last_idx, data) VALUES (?, ?, ?)";
    /**
     * The schema as {@link #createSchema} leaves it (log runs, snapshot files), recorded in {@code meta}
     * under {@link #SCHEMA_KEY}: raise it with any change to the schema, whose upgrade then runs once.
     */
    static final String SCHEMA_VERSION = "2";
    private static final String SCHEMA_KEY = "schema";
    /** Derby's SQLState for a table that does not exist. */
    private static final String NO_SUCH_TABLE = "42X05";
    /** Entries of the old table {@code log} moved into one run per this many. */
    private static final int MIGRATED_RUN = 1000;

    private final Connection connection;
    private final SnapshotFiles files;
    /** Guarded by {@link #snapshotLock}, as is storing any snapshot. */
    private final Connection snapshotConnection;
    private final Object snapshotLock = new Object();
    /**
     * Index of the snapshot on disk: the log at or below it is covered. The runs it covers go a few at a
     * time with later appends, in their transactions: deleting a whole snapshot's worth of rows at once
     * stalled the node for a tenth of a second or more. Written under {@link #snapshotLock}.
     */
    private volatile long storedSnapshot;
    private final PreparedStatement insertRun;
    private final PreparedStatement updateHardState;
    // Prepared when first used: Derby compiles each statement to a class, and these serve only a log
    // cut short, a run read back for it, and compaction after a snapshot, which a starting node never
    // needs before it serves.
    private final LazyStatement deleteRunsFrom;
    private final LazyStatement readRun;
    private final LazyStatement shortenRun;
    /**
     * Bounded below as well: deleted rows stay in the index until Derby reclaims them, and a scan from
     * the start of the log walked past all of them on every append (3x the CPU, measured).
     */
    private final LazyStatement deleteRuns;
    /** The rows of {@code log_run} as committed, oldest first; the driver's thread alone uses them. */
    private final ArrayDeque<Run> runs = new ArrayDeque<>();
    private long lastIndex;
    /** Covered runs deleted with each append, at most. */
    static final int COMPACTION_ROWS = 16;

    private record Run(long first, long last) {
    }

    DerbyStore(Connection connection, Connection snapshotConnection, SnapshotFiles files) throws SQLException {
        this.connection = connection;
        this.files = files;
        this.snapshotConnection = snapshotConnection;
        connection.setAutoCommit(false);
        snapshotConnection.setAutoCommit(false);
        createSchemaIfAbsent();
        insertRun = connection.prepareStatement(INSERT_RUN);
        deleteRunsFrom = new LazyStatement(connection, "DELETE FROM log_run WHERE first_idx >= ?");
        readRun = new LazyStatement(connection, "SELECT data FROM log_run WHERE first_idx = ?");
        shortenRun = new LazyStatement(connection, "UPDATE log_run SET last_idx = ?, data = ? WHERE first_idx = ?");
        deleteRuns = new LazyStatement(connection, "DELETE FROM log_run WHERE first_idx >= ? AND first_idx <= ?");
        updateHardState = connection.prepareStatement("UPDATE hard_state SET term = ?, vote = ?, commit_index = ? WHERE id = 1");
    }

    private void createSchemaIfAbsent() throws SQLException {
        // Derby's catalogue queries (getTables, getColumns) cost a fresh node a twentieth of its start-up
        // CPU; a database that says it has the current schema needs none of them.
        java.util.Map<String, String> meta = metaRows();
        if (!SCHEMA_VERSION.equals(meta == null ? null : meta.get(SCHEMA_KEY))) {
            if (tableExists(connection, "META")) {
                addSnapshotFileColumnsIfAbsent(connection);
                moveLogIntoRunsIfNeeded(connection);
                markSchema(connection);
            } else {
                createSchema(connection);
            }
        }
        // Apart from the schema: a database unpacked from the template has none yet. Written as the
        // cluster id is later, so that Derby compiles those statements once.
        if (meta == null || !meta.containsKey(NODE_ID)) {
            putMeta(connection, NODE_ID, UUID.randomUUID().toString());
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
        moveLogIntoRunsIfNeeded(connection);
        markSchema(connection);
    }

    /** The schema version this database says it has, or {@code null} (made before versions, or empty). */
    String schemaVersion() throws SQLException {
        java.util.Map<String, String> meta = metaRows();
        return meta == null ? null : meta.get(SCHEMA_KEY);
    }

    /**
     * Every row of {@code meta}, read in one statement (schema, node and cluster ids, peers), or
     * {@code null} where the table does not exist.
     */
    private java.util.Map<String, String> metaRows() throws SQLException {
        java.util.Map<String, String> rows = new java.util.HashMap<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT name, val FROM meta");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            if (NO_SUCH_TABLE.equals(e.getSQLState())) {
                return null;
            }
            throw e;
        }
        return rows;
    }

    /** Records that the database has the current schema, and commits. */
    private static void markSchema(Connection connection) throws SQLException {
        putMeta(connection, SCHEMA_KEY, SCHEMA_VERSION);
        connection.commit();
    }

    /** Sets the {@code meta} row {@code name} to {@code value}, uncommitted. */
    private static void putMeta(Connection connection, String name, String value) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM meta WHERE name = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO meta (name, val) VALUES (?, ?)")) {
            delete.setString(1, name);
            delete.executeUpdate();
            insert.setString(1, name);
            insert.setString(2, value);
            insert.executeUpdate();
        }
    }

    /**
     * Makes the table of runs where it is missing, moves the entries of the old table of one row each
     * into it, drops that table, and commits: all in one transaction.
     */
    private static void moveLogIntoRunsIfNeeded(Connection connection) throws SQLException {
        if (!tableExists(connection, "LOG_RUN")) {
            try (Statement s = connection.createStatement()) {
                s.execute(LOG_RUNS);
            }
        }
        if (tableExists(connection, "LOG")) {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT idx, term, ts, kind, machine, origin, request, data FROM log ORDER BY idx");
                 PreparedStatement insert = connection.prepareStatement(INSERT_RUN)) {
                List<LogEntry> run = new ArrayList<>();
                while (rs.next()) {
                    LogEntry e = new LogEntry(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        LogEntry.Type.values()[rs.getShort(4)], rs.getString(5), rs.getString(6), rs.getLong(7),
                        rs.getBytes(8));
                    if (run.size() == MIGRATED_RUN) {
                        insertRun(insert, run);
                        run.clear();
                    }
                    run.add(e);
                }
                if (!run.isEmpty()) {
                    insertRun(insert, run);
                }
                s.execute("DROP TABLE log");
            }
        }
        connection.commit();
    }

    private static void insertRun(PreparedStatement insert, List<LogEntry> run) throws SQLException {
        insert.setLong(1, run.get(0).index());
        insert.setLong(2, run.get(run.size() - 1).index());
        insert.setBytes(3, LogRunCodec.encode(run));
        insert.executeUpdate();
    }

    private static boolean tableExists(Connection connection, String name) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, null, name, null)) {
            return tables.next();
        }
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
            java.util.Map<String, String> meta = metaRows();
            String nodeId = meta.get(NODE_ID);
            String clusterId = meta.get(CLUSTER_ID);
            HardState hardState = hardState();
            Snapshot snapshot = snapshot();
            List<LogEntry> entries = new ArrayList<>();
            long after = snapshot == null ? 0 : snapshot.index();
            List<Run> rows = new ArrayList<>();
            try (Statement q = connection.createStatement();
                 ResultSet rs = q.executeQuery("SELECT first_idx, last_idx, data FROM log_run ORDER BY first_idx")) {
                while (rs.next()) {
                    Run run = new Run(rs.getLong(1), rs.getLong(2));
                    if (!rows.isEmpty() && run.first() != rows.get(rows.size() - 1).last() + 1) {
                        throw new IOException("the log has a gap before entry " + run.first());
                    }
                    rows.add(run);
                    if (run.last() > after) {
                        List<LogEntry> decoded = LogRunCodec.decode(run.first(), rs.getBytes(3));
                        if (decoded.size() != run.last() - run.first() + 1) {
                            throw new IOException("the log's run from " + run.first() + " does not end at " + run.last());
                        }
                        for (LogEntry e : decoded) {
                            if (e.index() > after) {
                                entries.add(e);
                            }
                        }
                    }
                }
            }
            java.util.Map<String, String> peers = peers(meta);
            connection.commit();
            runs.clear();
            runs.addAll(rows);
            lastIndex = entries.isEmpty() ? after : entries.get(entries.size() - 1).index();
            storedSnapshot = after;
            return new StoredState(nodeId, clusterId, hardState, snapshot, entries, peers);
        } catch (SQLException e) {
            throw rollback("load", e);
        } catch (IOException e) {
            // A snapshot file or a run refused: the read transaction still has to end.
            rollbackQuietly(connection, e);
            throw e;
        }
    }

    @Override
    public void append(HardState hardState, List<LogEntry> entries) throws IOException {
        try {
            long first = entries.isEmpty() ? 0 : entries.get(0).index();
            long last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).index();
            boolean conflict = !entries.isEmpty() && first <= lastIndex;
            Run shortened = conflict ? cutFrom(first) : null;
            if (!entries.isEmpty()) {
                insertRun(insertRun, entries);
            }
            int compacted = compact();
            if (hardState != null) {
                updateHardState.setLong(1, hardState.term());
                updateHardState.setString(2, hardState.vote());
                updateHardState.setLong(3, hardState.commit());
                updateHardState.executeUpdate();
            }
            connection.commit();
            // Now as the database has them. A conflict is past the commit index, compaction below it.
            for (int i = 0; i < compacted; i++) {
                runs.removeFirst();
            }
            if (conflict) {
                while (!runs.isEmpty() && runs.peekLast().last() >= first) {
                    runs.removeLast();
                }
                if (shortened != null) {
                    runs.addLast(shortened);
                }
            }
            if (!entries.isEmpty()) {
                runs.addLast(new Run(first, last));
                lastIndex = last;
            }
        } catch (SQLException e) {
            throw rollback("append", e);
        }
    }

    /**
     * Deletes the log from {@code index} on, uncommitted: the runs that start there or later go, and the
     * one that holds it is cut short. Answers that run as it is now, or {@code null}.
     */
    private Run cutFrom(long index) throws SQLException, IOException {
        Run holding = null;
        for (java.util.Iterator<Run> it = runs.descendingIterator(); it.hasNext(); ) {
            Run r = it.next();
            if (r.last() < index) {
                break;
            }
            if (r.first() < index) {
                holding = r;
                break;
            }
        }
        PreparedStatement deleteFrom = deleteRunsFrom.get();
        deleteFrom.setLong(1, index);
        deleteFrom.executeUpdate();
        if (holding == null) {
            return null;
        }
        PreparedStatement read = readRun.get();
        read.setLong(1, holding.first());
        byte[] data;
        try (ResultSet rs = read.executeQuery()) {
            if (!rs.next()) {
                throw new IOException("the log's run from " + holding.first() + " is missing");
            }
            data = rs.getBytes(1);
        }
        List<LogEntry> kept = LogRunCodec.decode(holding.first(), data).subList(0, (int) (index - holding.first()));
        PreparedStatement shorten = shortenRun.get();
        shorten.setLong(1, index - 1);
        shorten.setBytes(2, LogRunCodec.encode(kept));
        shorten.setLong(3, holding.first());
        shorten.executeUpdate();
        return new Run(holding.first(), index - 1);
    }

    /** Deletes, uncommitted, up to {@link #COMPACTION_ROWS} of the oldest runs the stored snapshot covers; answers how many. */
    private int compact() throws SQLException {
        long covered = storedSnapshot;
        int n = 0;
        long from = 0;
        long to = 0;
        for (Run r : runs) {
            if (n == COMPACTION_ROWS || r.last() > covered) {
                break;
            }
            from = n == 0 ? r.first() : from;
            to = r.first();
            n++;
        }
        if (n > 0) {
            PreparedStatement delete = deleteRuns.get();
            delete.setLong(1, from);
            delete.setLong(2, to);
            delete.executeUpdate();
        }
        return n;
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
        runs.clear();
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
             PreparedStatement drop = on.prepareStatement("DELETE FROM log_run")) {
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
        try {
            putMeta(connection, CLUSTER_ID, clusterId);
            connection.commit();
        } catch (SQLException e) {
            throw rollback("saveClusterId", e);
        }
    }

    @Override
    public void savePeerAddress(String nodeId, String address) throws IOException {
        try {
            putMeta(connection, PEER + nodeId, address);
            connection.commit();
        } catch (SQLException e) {
            throw rollback("savePeerAddress", e);
        }
    }

    private static final String PEER = "peer:";
    private static final String NODE_ID = "node_id";
    private static final String CLUSTER_ID = "cluster_id";

    private static java.util.Map<String, String> peers(java.util.Map<String, String> meta) {
        java.util.Map<String, String> peers = new java.util.TreeMap<>();
        meta.forEach((name, value) -> {
            if (name.startsWith(PEER)) {
                peers.put(name.substring(PEER.length()), value);
            }
        });
        return peers;
    }

    /** How many runs the log table holds, covered ones not yet deleted included (for tests). */
    long logRows() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM log_run")) {
            rs.next();
            long rows = rs.getLong(1);
            connection.commit();
            return rows;
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
