package tansu.storage.derby.internal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Snapshot data as files beside the database, as etcd keeps its {@code .snap} files: a BLOB of
 * megabytes went through Derby's transaction log and then its pages, which took 50-330 ms and
 * slowed every commit behind it; a file is written once and synced. The database names the file and
 * its checksum, in the same transaction as the rest of the snapshot: a file no row names is left
 * over from a crash and goes at the next start.
 */
final class SnapshotFiles {

    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".bin";

    private final Path dir;

    SnapshotFiles(File dir) {
        this.dir = dir.toPath();
    }

    static String name(long index, long term) {
        return PREFIX + index + "-" + term + SUFFIX;
    }

    /** Writes {@code data} as {@code name}, on disk when this returns; answers its checksum. */
    long write(String name, byte[] data) throws IOException {
        Files.createDirectories(dir);
        Path temporary = dir.resolve(name + ".tmp");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        Files.move(temporary, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // The rename itself is on disk only once the directory is.
        syncDirectory(dir);
        return checksum(data);
    }

    /** Makes what a directory lists (files created, renamed, removed) durable. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Reads {@code name}, refusing a file whose checksum is not {@code expected}. */
    byte[] read(String name, long expected) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            throw new IOException("snapshot file " + file + " is missing");
        }
        byte[] data = Files.readAllBytes(file);
        if (checksum(data) != expected) {
            throw new IOException("snapshot file " + file + " is damaged: its checksum does not match");
        }
        return data;
    }

    /** Removes every snapshot file but {@code kept} ({@code null}: all of them). */
    void removeAllBut(String kept) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.startsWith(PREFIX) && !n.equals(kept)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    static long checksum(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }
}
