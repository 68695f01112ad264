package tansu.storage.derby.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;

import tansu.api.storage.LogEntry;

public class LogRunCodecTest {

    private static final List<LogEntry> RUN = List.of(
        new LogEntry(7, 2, 1000, LogEntry.Type.COMMAND, "kv", "n1", 70, new byte[] {1, 2, 3}),
        new LogEntry(8, 2, 1001, LogEntry.Type.NOOP, "", "", 0, new byte[0]),
        new LogEntry(9, 3, 1002, LogEntry.Type.CONFIGURATION, "", "n\u00e9\u20ac", 90, "voters".getBytes()));

    @Test
    public void aRunSurvivesItsBytes() throws IOException {
        List<LogEntry> back = LogRunCodec.decode(7, LogRunCodec.encode(RUN));
        assertEquals(RUN.size(), back.size());
        for (int i = 0; i < RUN.size(); i++) {
            LogEntry sent = RUN.get(i);
            LogEntry read = back.get(i);
            assertEquals(List.of(sent.index(), sent.term(), sent.timestamp(), sent.type(), sent.machine(), sent.origin(),
                sent.requestId()), List.of(read.index(), read.term(), read.timestamp(), read.type(), read.machine(),
                read.origin(), read.requestId()));
            assertArrayEquals(sent.data(), read.data());
        }
    }

    @Test
    public void damagedRunsAreRefused() {
        byte[] good = LogRunCodec.encode(RUN);
        assertRefused(LogRunCodec.encode(RUN), 8, "read from the wrong first index");
        for (int cut = 0; cut < good.length; cut++) {
            assertRefused(Arrays.copyOf(good, cut), 7, "cut at " + cut);
        }
        assertRefused(Arrays.copyOf(good, good.length + 1), 7, "trailing byte");
        byte[] type = good.clone();
        type[5 + 24] = 9;
        assertRefused(type, 7, "unknown entry type");
        byte[] count = good.clone();
        count[4] = 100;
        assertRefused(count, 7, "count beyond the bytes");
    }

    private static void assertRefused(byte[] bytes, long first, String what) {
        try {
            LogRunCodec.decode(first, bytes);
            fail("accepted: " + what);
        } catch (IOException expected) {
            // refused
        }
    }
}
