package tansu.raft.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.junit.Test;

public class WireTest {

    private static final List<String> STRINGS = List.of("", "a", "kv", "0a1e8cf4-0033-4b32-89b4-05e455f3ce7d", "caf\u00e9",
        "\u0000x", "\u65e5\u672c", "x".repeat(300), "\ud83d\ude00");

    @Test
    public void whatItWritesIsWhatADataOutputStreamWrites() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(expected);
        WireWriter wire = new WireWriter();
        for (String s : STRINGS) {
            data.writeUTF(s);
            wire.writeUTF(s);
        }
        data.writeInt(-2);
        wire.writeInt(-2);
        data.writeLong(Long.MIN_VALUE + 3);
        wire.writeLong(Long.MIN_VALUE + 3);
        data.writeByte(200);
        wire.writeByte(200);
        data.writeBoolean(true);
        wire.writeBoolean(true);
        data.write(new byte[] {1, 2, 3});
        wire.write(new byte[] {1, 2, 3});
        assertArrayEquals(expected.toByteArray(), wire.toByteArray());
    }

    @Test
    public void whatIsWrittenIsReadBackAndRepeatedStringsAreTheSameObject() throws IOException {
        WireWriter wire = new WireWriter();
        for (String s : STRINGS) {
            wire.writeUTF(s);
        }
        wire.writeUTF("kv");
        wire.writeLong(-5);
        WireReader in = new WireReader().reset(wire.array(), 0, wire.length());
        String kv = null;
        for (String s : STRINGS) {
            String read = in.readUTF();
            assertEquals(s, read);
            if (s.equals("kv")) {
                kv = read;
            }
        }
        assertSame(kv, in.readUTF());
        assertEquals(-5, in.readLong());
        assertEquals(0, in.remaining());
    }

    @Test
    public void aReaderStopsAtTheEndOfItsRange() throws IOException {
        byte[] bytes = {0, 0, 0, 1, 0, 0, 0, 2};
        WireReader in = new WireReader().reset(bytes, 0, 6);
        assertEquals(1, in.readInt());
        assertThrows(EOFException.class, in::readInt);
        WireReader string = new WireReader().reset(new byte[] {0, 5, 'a', 'b'}, 0, 4);
        assertThrows(EOFException.class, string::readUTF);
    }

    @Test
    public void aStringTooLongForItsLengthIsRefusedAsTheJdkRefusesIt() {
        assertThrows(UncheckedIOException.class, () -> new WireWriter().writeUTF("y".repeat(70_000)));
    }

    @Test
    public void aWriterGrownByALargeBatchLetsItsArrayGoWhenCleared() {
        WireWriter wire = new WireWriter();
        wire.write(new byte[WireWriter.KEPT_BYTES + 1]);
        wire.clear();
        assertEquals(0, wire.length());
        assertTrue(wire.array().length <= WireWriter.KEPT_BYTES);
        wire.write(new byte[1024]);
        byte[] kept = wire.array();
        wire.clear();
        assertSame(kept, wire.array());
    }
}
