package tansu.storage.derby.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.apache.derby.jdbc.EmbeddedDataSource;

/**
 * An empty database with the schema and no node id, made by the build ({@link #main}) and carried in
 * this bundle: a fresh node unpacks it instead of creating one. Creating a Derby database (its system
 * catalogues) took 0.6 s of CPU, a sixth of a fresh node's start, three times over when a cluster's
 * nodes start together on one machine; unpacking takes milliseconds. A database shut down cleanly is
 * whole in its files, so a copy of them is a database.
 */
final class DatabaseTemplate {

    /** Where the bundle carries it. */
    static final String RESOURCE = "empty-database.zip";

    private DatabaseTemplate() {
    }

    /** Makes the template: {@code <scratch directory> <zip file>}. */
    public static void main(String[] args) throws Exception {
        File database = new File(args[0], "derby");
        deleteTree(database.toPath());
        Files.createDirectories(Path.of(args[0]));
        System.setProperty("derby.stream.error.file", new File(args[0], "derby.log").getPath());
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(database.getPath());
        ds.setCreateDatabase("create");
        try (Connection connection = ds.getConnection()) {
            connection.setAutoCommit(false);
            DerbyStore.createSchema(connection);
        }
        ds.setCreateDatabase(null);
        ds.setShutdownDatabase("shutdown");
        try {
            ds.getConnection();
        } catch (SQLException shutDown) {
            // Derby answers a clean shutdown with SQLState 08006.
            if (!"08006".equals(shutDown.getSQLState())) {
                throw shutDown;
            }
        }
        Path zip = Path.of(args[1]);
        Files.createDirectories(zip.getParent());
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            List<Path> files;
            try (var walk = Files.walk(database.toPath())) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                out.putNextEntry(new ZipEntry(database.toPath().relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    /**
     * Unpacks the template into {@code database}, which must not exist; each file and directory synced.
     * Answers false, leaving nothing behind, where this bundle carries no template.
     */
    static boolean unpack(File database) throws IOException {
        try (InputStream resource = DatabaseTemplate.class.getResourceAsStream(RESOURCE)) {
            if (resource == null) {
                return false;
            }
            Path root = database.toPath();
            Path unpacking = root.resolveSibling(root.getFileName() + ".unpacking");
            deleteTree(unpacking);
            List<Path> directories = new ArrayList<>();
            directories.add(unpacking);
            try (ZipInputStream zip = new ZipInputStream(resource)) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    Path target = unpacking.resolve(e.getName()).normalize();
                    if (!target.startsWith(unpacking)) {
                        throw new IOException("template entry " + e.getName() + " lies outside the database");
                    }
                    for (Path d = target.getParent(); !directories.contains(d); d = d.getParent()) {
                        directories.add(d);
                    }
                    Files.createDirectories(target.getParent());
                    try (FileChannel file = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        zip.transferTo(java.nio.channels.Channels.newOutputStream(file));
                        file.force(true);
                    }
                }
            }
            for (Path d : directories) {
                SnapshotFiles.syncDirectory(d);
            }
            // Whole or not at all: a node that dies while unpacking finds no database, and unpacks again.
            Files.move(unpacking, root, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            SnapshotFiles.syncDirectory(root.getParent());
            return true;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
