package tansu.itests.jepsen;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.Test;

/** Checks a kept history again: {@code -Dtansu.jepsen.recheck=target/jepsen/<time>/history.jsonl}. */
public class RecheckTest {

    @Test
    public void aKeptHistoryIsCheckedAgain() throws Exception {
        String file = System.getProperty("tansu.jepsen.recheck");
        assumeTrue("no -Dtansu.jepsen.recheck=<history.jsonl> given", file != null);
        List<Op> ops = History.read(Path.of(file));
        long started = System.nanoTime();
        List<String> anomalies = RegisterChecker.anomalies(ops);
        System.out.printf("checked in %d ms%nops=%d anomalies=%d %s%n", (System.nanoTime() - started) / 1_000_000,
            ops.size(), anomalies.size(), anomalies);
        assertEquals(List.of(), anomalies);
    }
}
