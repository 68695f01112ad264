package tansu.storage.derby.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.management.ObjectName;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Derby opened as a node opens it starts without its JMX management service. Each case runs in a JVM
 * of its own: Derby's engine boots once per JVM, and reads its modules then.
 */
public class DerbyManagementTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /**
     * Opens the storage in {@code args[0]} and prints how many MBeans Derby registered, and the pages
     * its page cache holds at most where its management service is there to say.
     */
    public static void main(String[] args) throws Exception {
        try (DerbyStore store = DerbyStorageComponent.open(new File(args[0], "derby"))) {
            store.load();
            var server = ManagementFactory.getPlatformMBeanServer();
            int beans = server.queryNames(new ObjectName("org.apache.derby:*"), null).size();
            System.out.println("derby-mbeans " + beans);
            for (ObjectName cache : server.queryNames(new ObjectName("org.apache.derby:type=CacheManager,name=PageCache,*"), null)) {
                System.out.println("page-cache " + server.getAttribute(cache, "MaxEntries"));
            }
        }
    }

    @Test
    public void derbyRegistersNoMBeans() throws Exception {
        File data = folder.newFolder("node");
        assertEquals("derby-mbeans 0", openInOwnJvm(data));
        String properties = Files.readString(new File(data, "derby.properties").toPath());
        assertTrue(properties, properties.contains(DerbyStorageComponent.NO_MANAGEMENT));
    }

    /** The check above can fail: with the operator's own system home, Derby's defaults (JMX) stay. */
    @Test
    public void anOperatorsDerbyHomeIsLeftAlone() throws Exception {
        File home = folder.newFolder("operators-home");
        assertNotEquals("derby-mbeans 0", openInOwnJvm(folder.newFolder("node"), "-Dderby.system.home=" + home));
        assertTrue("nothing written to the operator's folder", new File(home, "derby.properties").length() == 0);
    }

    /** Seen through the management service an operator's own Derby home keeps. */
    @Test
    public void thePageCacheHoldsAFewPagesUnlessTheOperatorSaysOtherwise() throws Exception {
        String home = "-Dderby.system.home=" + folder.newFolder("home");
        assertEquals(List.of("page-cache " + DerbyStorageComponent.PAGE_CACHE_PAGES),
            lines(folder.newFolder("a"), "page-cache", home));
        assertEquals(List.of("page-cache 500"), lines(folder.newFolder("b"), "page-cache", home, "-Dderby.storage.pageCacheSize=500"));
    }

    private static String openInOwnJvm(File data, String... jvmOptions) throws Exception {
        List<String> mbeans = lines(data, "derby-mbeans", jvmOptions);
        return mbeans.isEmpty() ? "no output" : mbeans.get(0);
    }

    /** The lines starting with {@code prefix} that {@link #main} prints in a JVM of its own. */
    private static List<String> lines(File data, String prefix, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + "/bin/java");
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DerbyManagementTest.class.getName(), data.getPath()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("finished", p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(out, 0, p.exitValue());
        return out.lines().filter(l -> l.startsWith(prefix)).toList();
    }
}
