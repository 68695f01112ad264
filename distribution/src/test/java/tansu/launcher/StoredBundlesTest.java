package tansu.launcher;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A folder's deflated jars come out stored, with the same entries in the same order, and are left alone after. */
public class StoredBundlesTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void deflatedJarsAreRewrittenStoredWithTheSameEntries() throws IOException {
        Path dir = folder.getRoot().toPath();
        Path jar = dir.resolve("a.jar");
        byte[] clazz = "class bytes ".repeat(500).getBytes(StandardCharsets.US_ASCII);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", "a");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new ZipEntry("a/A.class"));
            out.write(clazz);
            out.closeEntry();
            out.putNextEntry(new ZipEntry("a/empty.txt"));
            out.closeEntry();
        }
        Files.writeString(dir.resolve("notes.txt"), "not a jar");
        List<String> before = names(jar);

        assertEquals(1, StoredBundles.store(dir));

        assertEquals(before, names(jar));
        try (ZipFile stored = new ZipFile(jar.toFile())) {
            for (ZipEntry e : Collections.list(stored.entries())) {
                assertEquals(e.getName(), ZipEntry.STORED, e.getMethod());
            }
            assertArrayEquals(clazz, stored.getInputStream(stored.getEntry("a/A.class")).readAllBytes());
            assertTrue(new String(stored.getInputStream(stored.getEntry("META-INF/MANIFEST.MF")).readAllBytes(),
                StandardCharsets.UTF_8).contains("Bundle-SymbolicName: a"));
        }
        assertFalse(Files.exists(dir.resolve("a.jar.stored")));
        assertEquals("not a jar", Files.readString(dir.resolve("notes.txt")));

        // Stored already: left as it is.
        long modified = Files.getLastModifiedTime(jar).toMillis();
        assertEquals(0, StoredBundles.store(dir));
        assertEquals(modified, Files.getLastModifiedTime(jar).toMillis());
    }

    private static List<String> names(Path jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            Collections.list(z.entries()).forEach(e -> names.add(e.getName()));
        }
        return names;
    }
}
