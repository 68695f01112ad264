package tansu.raft.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.Test;

import tansu.api.Entry;

/** A node snapshot, encoded into an array sized before writing, reads back as it was. */
public class SnapshotCodecTest {

    @Test
    public void partsReadBackWhateverTheirNamesStatesAndHeldEntries() throws Exception {
        byte[] big = new byte[300_000];
        java.util.Arrays.fill(big, (byte) 7);
        Map<String, MachineSet.Part> parts = Map.of(
            "kv", new MachineSet.Part(big, List.of()),
            // Names outside ASCII take two and three bytes each in the encoding, a NUL two.
            "zähler-\u20ac-\u0000", new MachineSet.Part(null, List.of(new Entry(4, 2, 99, new byte[] {1, 2}),
                new Entry(5, 2, 100, new byte[0]))),
            "", new MachineSet.Part(new byte[0], List.of()));

        byte[] encoded = SnapshotCodec.encode(parts);
        Map<String, MachineSet.Part> decoded = SnapshotCodec.decode(encoded);

        assertEquals(parts.keySet(), decoded.keySet());
        assertArrayEquals(big, decoded.get("kv").state());
        assertArrayEquals(new byte[0], decoded.get("").state());
        MachineSet.Part counter = decoded.get("zähler-\u20ac-\u0000");
        assertNull(counter.state());
        assertEquals(2, counter.held().size());
        assertEquals(5, counter.held().get(1).index());
        assertEquals(100, counter.held().get(1).timestamp());
        assertArrayEquals(new byte[] {1, 2}, counter.held().get(0).command());
    }

    @Test
    public void noPartsIsASnapshotToo() throws Exception {
        assertEquals(Map.of(), SnapshotCodec.decode(SnapshotCodec.encode(Map.of())));
    }
}
