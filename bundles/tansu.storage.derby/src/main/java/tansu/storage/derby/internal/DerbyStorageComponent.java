package tansu.storage.derby.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;
import tansu.api.storage.RaftStorage;
import tansu.api.storage.Snapshot;
import tansu.api.storage.StoredState;

/**
 * Publishes a node's {@link RaftStorage}, kept in Derby under its data directory. Waits for its
 * configuration so that it never opens a database in the wrong place.
 */
@Component(configurationPid = "tansu.storage.derby", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DerbyStorageConfig.class)
public final class DerbyStorageComponent implements RaftStorage {

    private static final Logger LOG = LoggerFactory.getLogger(DerbyStorageComponent.class);

    private final File database;
    private final DerbyStore store;

    @Activate
    public DerbyStorageComponent(DerbyStorageConfig config) throws SQLException, IOException {
        File dataDir = new File(config.data_dir()).getAbsoluteFile();
        if (!dataDir.isDirectory() && !dataDir.mkdirs()) {
            throw new IllegalStateException("cannot create data directory " + dataDir);
        }
        database = new File(dataDir, "derby");
        store = open(database);
        LOG.info("Derby storage open at {}", database);
    }

    static DerbyStore open(File database) throws SQLException, IOException {
        // Derby writes derby.log to the working directory unless told otherwise, once per JVM.
        System.setProperty("derby.stream.error.file", new File(database.getParentFile(), "derby.log").getPath());
        boundPageCache();
        leaveOutManagement(database.getParentFile());
        if (!database.exists() && DatabaseTemplate.unpack(database)) {
            LOG.info("New database unpacked from the template at {}", database);
        }
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(database.getPath());
        ds.setCreateDatabase("create");
        return new DerbyStore(ds.getConnection(), ds.getConnection(),
            new SnapshotFiles(new File(database.getParentFile(), "snapshots")));
    }

    /**
     * Derby's management service starts the platform MBean server and registers Derby's beans in it: an
     * eighth of Derby's start-up CPU (and 240 classes), for monitoring a node does not offer. Derby picks
     * its modules from {@code derby.properties} in its system home only, read when the engine boots,
     * which is here, at the first connection; a system home chosen by the operator is left alone.
     */
    static void leaveOutManagement(File dataDir) throws IOException {
        String home = System.getProperty(DERBY_HOME);
        if (home != null && !home.equals(dataDir.getPath())) {
            return;
        }
        Path properties = dataDir.toPath().resolve("derby.properties");
        if (!Files.exists(properties)) {
            Files.writeString(properties, "# Written by tansu.storage.derby: Derby without its JMX management service.\n"
                + NO_MANAGEMENT + "\n");
        }
        System.setProperty(DERBY_HOME, dataDir.getPath());
    }

    /**
     * Derby keeps 1,000 pages in memory by default, and the log's table has a BLOB column, so its pages
     * are 32 KiB: a cache of up to 32 MiB of heap. What a node reads and writes is the end of the log,
     * a few small tables, and the runs compaction deletes (read back from the file system's cache when
     * evicted): 128 pages (4 MiB at most) hold that. Under load the full cache kept megabytes more alive
     * than the node's memory target has room for. An operator's own setting is left alone.
     */
    static void boundPageCache() {
        if (System.getProperty(PAGE_CACHE) == null) {
            System.setProperty(PAGE_CACHE, String.valueOf(PAGE_CACHE_PAGES));
        }
    }

    static final String PAGE_CACHE = "derby.storage.pageCacheSize";
    static final int PAGE_CACHE_PAGES = 128;
    private static final String DERBY_HOME = "derby.system.home";
    static final String NO_MANAGEMENT = "derby.module.mgmt.jmx=org.apache.derby.impl.services.jmxnone.NoManagementService";

    @Deactivate
    void deactivate() {
        try {
            store.close();
            EmbeddedDataSource ds = new EmbeddedDataSource();
            ds.setDatabaseName(database.getPath());
            ds.setShutdownDatabase("shutdown");
            ds.getConnection();
        } catch (SQLException e) {
            // Derby reports a clean shutdown as SQLState 08006.
            if (!"08006".equals(e.getSQLState())) {
                LOG.warn("Derby shutdown of {}: {}", database, e.getMessage());
            }
        }
    }

    @Override
    public StoredState load() throws IOException {
        return store.load();
    }

    @Override
    public void append(HardState hardState, List<LogEntry> entries) throws IOException {
        store.append(hardState, entries);
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) throws IOException {
        store.saveSnapshot(snapshot);
    }

    @Override
    public void installSnapshot(Snapshot snapshot) throws IOException {
        store.installSnapshot(snapshot);
    }

    @Override
    public void saveClusterId(String clusterId) throws IOException {
        store.saveClusterId(clusterId);
    }

    @Override
    public void savePeerAddress(String nodeId, String address) throws IOException {
        store.savePeerAddress(nodeId, address);
    }
}
