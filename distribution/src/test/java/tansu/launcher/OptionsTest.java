package tansu.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class OptionsTest {

    private static final Path HOME = Path.of("/opt/tansu");

    private static Options parse(Map<String, String> env, String... args) {
        return Options.parse(args, env, HOME);
    }

    @Test
    public void defaults() {
        Options o = parse(Map.of());
        assertEquals(8080, o.port());
        assertEquals("dev", o.env());
        assertEquals(3, o.bootstrapExpect());
        assertEquals(List.of(), o.members());
        assertEquals(HOME.resolve("deploy"), o.deploy());
        assertTrue(o.data().isAbsolute());
        assertTrue(o.mdns());
        assertEquals(0, o.peerPort());
        assertEquals(10_000, o.snapshotCount());
        assertEquals(2, o.snapshotLogRatio());
    }

    @Test
    public void environmentVariablesSetOptionsAndTheCommandLineWins() {
        Options o = parse(Map.of("TANSU_PORT", "9000", "TANSU_ENVIRONMENT", "prod", "TANSU_CLUSTER_MEMBERS", "a:1, b:2"),
            "--port", "9001", "--bootstrap-expect=1");
        assertEquals(9001, o.port());
        assertEquals("prod", o.env());
        assertEquals(List.of("a:1", "b:2"), o.members());
        assertEquals(1, o.bootstrapExpect());
        assertFalse(parse(Map.of("TANSU_MDNS", "false")).mdns());
        assertEquals(-1, parse(Map.of("TANSU_PEER_PORT", "-1")).peerPort());
        assertEquals(9101, parse(Map.of(), "--peer-port", "9101").peerPort());
        assertEquals(0, parse(Map.of("TANSU_SNAPSHOT_LOG_RATIO", "0")).snapshotLogRatio());
    }

    @Test
    public void badInputIsRefusedWithAMessage() {
        for (String[] args : List.of(new String[] {"--nope", "1"}, new String[] {"--port", "0"},
            new String[] {"--port", "http"}, new String[] {"--port"}, new String[] {"stray"},
            new String[] {"--members", "nohostport"}, new String[] {"--bootstrap-expect", "0"},
            new String[] {"--env", "a b"}, new String[] {"--election-timeout", "50"},
            new String[] {"--mdns", "no"}, new String[] {"--peer-port", "-2"},
            new String[] {"--peer-port", "8080"}, new String[] {"--snapshot-log-ratio", "-1"})) {
            try {
                parse(Map.of(), args);
                fail("accepted " + String.join(" ", args));
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().length() > 5);
            }
        }
    }
}
