package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/** bin/tansu as a command: unknown options and bad values are a message and exit code 2; a port in use, 1. */
public class LauncherTest {

    private static String[] run(String... args) throws Exception {
        return runIn(Node.HOME, args);
    }

    private static String[] runIn(Path home, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/tansu").toString()));
        command.addAll(List.of(args));
        return output(new ProcessBuilder(command));
    }

    private static String[] output(ProcessBuilder builder) throws Exception {
        Process p = builder.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    /** The build links a runtime without the JDK's locale data (bin/tansu says why), and a node runs on it. */
    @Test
    public void aNodeRunsOnTheDistributionsOwnRuntime() throws Exception {
        Path runtime = Node.HOME.resolve("runtime").toAbsolutePath().normalize();
        String[] modules = output(new ProcessBuilder(runtime.resolve("bin/java").toString(), "--list-modules"));
        assertEquals(modules[1], "0", modules[0]);
        assertTrue(modules[1], modules[1].contains("java.sql@") && modules[1].contains("jdk.unsupported@"));
        assertTrue(modules[1], !modules[1].contains("jdk.localedata"));

        ProcessBuilder help = new ProcessBuilder(Node.HOME.resolve("bin/tansu").toString(), "--help");
        help.environment().put("TANSU_JAVA_OPTS", "-XshowSettings:properties");
        String[] shown = output(help);
        assertEquals(shown[1], "0", shown[0]);
        assertTrue(shown[1], shown[1].contains("java.home = " + runtime + "\n"));
    }

    @Test
    public void badOptionsExitWithTwoAndSayWhy() throws Exception {
        String[] unknown = run("--frobnicate", "1");
        assertEquals("2", unknown[0]);
        assertTrue(unknown[1], unknown[1].contains("unknown option --frobnicate") && unknown[1].contains("Usage"));
        String[] badPort = run("--port", "99999");
        assertEquals("2", badPort[0]);
        assertTrue(badPort[1], badPort[1].contains("--port"));
    }

    @Test
    public void aPortInUseExitsWithOneAndSaysSo() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path data = Node.WORK.resolve("port-in-use").toAbsolutePath();
            Node.deleteRecursively(data);
            String[] taken = run("--port", Integer.toString(other.getLocalPort()), "--data", data.toString(),
                "--bootstrap-expect", "1", "--mdns", "false");
            assertEquals(taken[1], "1", taken[0]);
            assertTrue(taken[1], taken[1].contains("port " + other.getLocalPort() + " is not free"));
        }
    }

    @Test
    public void helpListsEveryOption() throws Exception {
        String[] help = run("--help");
        assertEquals("0", help[0]);
        for (String option : List.of("--port", "--data", "--env", "--host", "--members", "--bootstrap-expect", "--deploy")) {
            assertTrue(help[1], help[1].contains(option));
        }
    }

    @Test
    public void aCopiedDistributionSaysItsClassArchiveIsForAnotherFolder() throws Exception {
        String hint = "lib/tansu.jsa was made for another folder";
        assertTrue("the build made the archive", Files.exists(Node.HOME.resolve("lib/tansu.jsa")));
        String[] here = run("--help");
        assertTrue(here[1], !here[1].contains(hint));

        Path copy = Node.WORK.resolve("copied-distribution").toAbsolutePath();
        Node.deleteRecursively(copy);
        for (String folder : List.of("bin", "lib")) {
            Files.createDirectories(copy.resolve(folder));
            try (var files = Files.list(Node.HOME.resolve(folder))) {
                for (Path f : files.toList()) {
                    Files.copy(f, copy.resolve(folder).resolve(f.getFileName()),
                        StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        String[] copied = runIn(copy, "--help");
        assertEquals(copied[1], "0", copied[0]);
        assertTrue(copied[1], copied[1].contains(hint));
    }

    /**
     * The classes the verifier only loads (Derby's parser nodes among them) were once left out of the
     * archive: the JDK archives only linked classes, and the training run must link them.
     */
    @Test
    public void theClassArchiveHoldsTheClassesTheVerifierLoads() throws Exception {
        Path data = Node.WORK.resolve("class-archive").toAbsolutePath();
        Node.deleteRecursively(data);
        Files.createDirectories(data);
        Path loaded = data.resolve("class-load.log");
        ProcessBuilder builder = new ProcessBuilder(Node.HOME.resolve("bin/tansu").toString(), "--port",
            Integer.toString(Node.freePort()), "--data", data.resolve("node").toString(), "--bootstrap-expect", "1",
            "--mdns", "false", "--env", Node.ENV).redirectErrorStream(true).redirectOutput(data.resolve("node.log").toFile());
        builder.environment().put("TANSU_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -Xlog:class+load=info:file=" + loaded);
        Process node = builder.start();
        String parserNode = "org.apache.derby.impl.sql.compile.UserDefinedTypeCompiler ";
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!logHas(loaded, parserNode) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            node.destroy();
            node.waitFor(30, TimeUnit.SECONDS);
        }
        String line = Files.readAllLines(loaded).stream().filter(l -> l.contains(parserNode)).findFirst()
            .orElseThrow(() -> new AssertionError("the node never loaded " + parserNode));
        assertTrue(line, line.contains("source: shared objects file"));
    }

    private static boolean logHas(Path log, String text) throws IOException {
        return Files.exists(log) && Files.readString(log).contains(text);
    }
}
