package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/** bin/tansu as a command: unknown options and bad values are a message and exit code 2; a port in use, 1. */
public class LauncherTest {

    private static String[] run(String... args) throws Exception {
        return runIn(Node.HOME, args);
    }

    private static String[] runIn(java.nio.file.Path home, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/tansu").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String[] {Integer.toString(p.exitValue()), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)};
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
        try (java.net.ServerSocket other = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.nio.file.Path data = Node.WORK.resolve("port-in-use").toAbsolutePath();
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
        assertTrue("the build made the archive", java.nio.file.Files.exists(Node.HOME.resolve("lib/tansu.jsa")));
        String[] here = run("--help");
        assertTrue(here[1], !here[1].contains(hint));

        java.nio.file.Path copy = Node.WORK.resolve("copied-distribution").toAbsolutePath();
        Node.deleteRecursively(copy);
        for (String folder : List.of("bin", "lib")) {
            java.nio.file.Files.createDirectories(copy.resolve(folder));
            try (var files = java.nio.file.Files.list(Node.HOME.resolve(folder))) {
                for (java.nio.file.Path f : files.toList()) {
                    java.nio.file.Files.copy(f, copy.resolve(folder).resolve(f.getFileName()),
                        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        String[] copied = runIn(copy, "--help");
        assertEquals(copied[1], "0", copied[0]);
        assertTrue(copied[1], copied[1].contains(hint));
    }
}
