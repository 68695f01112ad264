package tansu.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites a folder's jars with their entries stored, not deflated. Felix reads every class of a
 * bundle from its jar, shared in the class archive or not (the archive matches a bundle's class by
 * its bytes), so a node inflated a few thousand entries at every start: 5 % of its CPU before it
 * served (bench/README.md, thirteenth look). Stored, they are read as they lie; the folder takes
 * about twice the room.
 */
final class StoredBundles {

    private StoredBundles() {
    }

    /** Stores the entries of every jar in {@code folder} that has one deflated; answers how many it rewrote. */
    static int store(Path folder) throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        int rewritten = 0;
        for (Path jar : jars) {
            if (storeOne(jar)) {
                rewritten++;
            }
        }
        return rewritten;
    }

    /** Rewrites {@code jar} in place, entries in their order and with their times, where any is deflated. */
    static boolean storeOne(Path jar) throws IOException {
        Path stored = jar.resolveSibling(jar.getFileName() + ".stored");
        try (ZipFile in = new ZipFile(jar.toFile())) {
            List<ZipEntry> entries = new ArrayList<>();
            boolean deflated = false;
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                entries.add(entry);
                deflated |= entry.getMethod() != ZipEntry.STORED;
            }
            if (!deflated) {
                return false;
            }
            try (OutputStream file = Files.newOutputStream(stored); ZipOutputStream out = new ZipOutputStream(file)) {
                for (ZipEntry entry : entries) {
                    byte[] bytes;
                    try (InputStream content = in.getInputStream(entry)) {
                        bytes = content.readAllBytes();
                    }
                    ZipEntry copy = new ZipEntry(entry.getName());
                    copy.setMethod(ZipEntry.STORED);
                    copy.setSize(bytes.length);
                    copy.setCompressedSize(bytes.length);
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    copy.setCrc(crc.getValue());
                    copy.setTime(entry.getTime());
                    out.putNextEntry(copy);
                    out.write(bytes);
                    out.closeEntry();
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(stored);
            throw e;
        }
        Files.move(stored, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }
}
