package tansu.raft.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link WireWriter} (or a {@link java.io.DataOutputStream}) wrote, from a range of an array, without
 * the stream and buffers a {@code DataInputStream} allocates per batch. A read past the range throws
 * {@link EOFException}. The strings a batch repeats (node ids, the machine's name, the header's) are
 * read as the same {@code String} as the last time they came, kept in a few slots of recent ones.
 */
final class WireReader {

    private static final int RECENT = 16;

    private final byte[][] recentBytes = new byte[RECENT][];
    private final String[] recentStrings = new String[RECENT];
    private int nextSlot;

    private byte[] data;
    private int position;
    private int end;

    /** Reads {@code length} bytes of {@code data} from {@code offset} from now on. */
    WireReader reset(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IndexOutOfBoundsException(offset + "+" + length + " of " + data.length);
        }
        this.data = data;
        this.position = offset;
        this.end = offset + length;
        return this;
    }

    int position() {
        return position;
    }

    int remaining() {
        return end - position;
    }

    /** The array read, for comparing what was read with what came before. */
    byte[] array() {
        return data;
    }

    byte readByte() throws EOFException {
        need(1);
        return data[position++];
    }

    boolean readBoolean() throws EOFException {
        return readByte() != 0;
    }

    int readInt() throws EOFException {
        need(4);
        int v = (data[position] & 0xFF) << 24 | (data[position + 1] & 0xFF) << 16 | (data[position + 2] & 0xFF) << 8
            | (data[position + 3] & 0xFF);
        position += 4;
        return v;
    }

    long readLong() throws EOFException {
        return (long) readInt() << 32 | (readInt() & 0xFFFFFFFFL);
    }

    void readFully(byte[] into) throws EOFException {
        need(into.length);
        System.arraycopy(data, position, into, 0, into.length);
        position += into.length;
    }

    /** A string as {@link DataInputStream#readUTF} reads it. */
    String readUTF() throws IOException {
        need(2);
        int n = (data[position] & 0xFF) << 8 | (data[position + 1] & 0xFF);
        need(2 + n);
        int start = position + 2;
        for (int i = 0; i < RECENT; i++) {
            byte[] seen = recentBytes[i];
            if (seen != null && seen.length == n && Arrays.equals(seen, 0, n, data, start, start + n)) {
                position = start + n;
                return recentStrings[i];
            }
        }
        String s = ascii(start, n) ? new String(data, start, n, StandardCharsets.ISO_8859_1) : readUTFSlowly(n);
        position = start + n;
        if (n <= 256) {
            recentBytes[nextSlot] = Arrays.copyOfRange(data, start, start + n);
            recentStrings[nextSlot] = s;
            nextSlot = (nextSlot + 1) % RECENT;
        }
        return s;
    }

    private boolean ascii(int start, int n) {
        for (int i = start; i < start + n; i++) {
            if (data[i] <= 0) {
                return false;
            }
        }
        return true;
    }

    /** Not plain ASCII: the JDK's decoder, with its checks of malformed input. */
    private String readUTFSlowly(int n) throws IOException {
        return new DataInputStream(new ByteArrayInputStream(data, position, 2 + n)).readUTF();
    }

    private void need(int n) throws EOFException {
        if (n > end - position) {
            throw new EOFException();
        }
    }
}
