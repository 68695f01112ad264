package tansu.raft.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A growable byte array written the way {@link DataOutputStream} writes (big-endian numbers, strings
 * as modified UTF-8 after their length), kept and reused by its owner: a batch encoded into it costs
 * no allocation once it has grown to the usual size, where a {@code ByteArrayOutputStream} per batch
 * cost three arrays (its buffer, the copy {@code toByteArray} makes, and the request around it) and
 * half of what a node allocated per write. Not thread-safe.
 */
final class WireWriter {

    /** A buffer grown past this for one large batch (snapshot chunks) is let go once it is written. */
    static final int KEPT_BYTES = 256 * 1024;
    private static final int INITIAL_BYTES = 4096;

    private byte[] bytes = new byte[INITIAL_BYTES];
    private int length;

    /** Empties it, keeping its array unless one large batch grew it past {@link #KEPT_BYTES}. */
    WireWriter clear() {
        if (bytes.length > KEPT_BYTES) {
            bytes = new byte[INITIAL_BYTES];
        }
        length = 0;
        return this;
    }

    /** The array written into; its first {@link #length()} bytes are what was written. */
    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    /** Moves the end to {@code n} (to overwrite or skip bytes already there: a reserved head). */
    void length(int n) {
        ensure(n - length);
        length = n;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    void writeByte(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
    }

    void writeBoolean(boolean b) {
        writeByte(b ? 1 : 0);
    }

    void writeInt(int v) {
        ensure(4);
        bytes[length] = (byte) (v >>> 24);
        bytes[length + 1] = (byte) (v >>> 16);
        bytes[length + 2] = (byte) (v >>> 8);
        bytes[length + 3] = (byte) v;
        length += 4;
    }

    void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    void write(byte[] b) {
        write(b, 0, b.length);
    }

    void write(byte[] b, int offset, int n) {
        ensure(n);
        System.arraycopy(b, offset, bytes, length, n);
        length += n;
    }

    /** Writes {@code s} as {@link DataOutputStream#writeUTF} does (its readers read it back with readUTF). */
    void writeUTF(String s) {
        int n = s.length();
        ensure(2 + n);
        int start = length;
        length += 2;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 || c >= 0x80) {
                length = start;
                writeUTFSlowly(s);
                return;
            }
            bytes[length++] = (byte) c;
        }
        if (n > 0xFFFF) {
            length = start;
            writeUTFSlowly(s);
            return;
        }
        bytes[start] = (byte) (n >>> 8);
        bytes[start + 1] = (byte) n;
    }

    /** Not plain ASCII, or too long: as the JDK encodes it, with its checks. */
    private void writeUTFSlowly(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 + 3 * s.length());
        try {
            new DataOutputStream(out).writeUTF(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(out.toByteArray());
    }

    private void ensure(int more) {
        if (more > bytes.length - length) {
            long wanted = Math.max((long) bytes.length * 2, (long) length + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a batch of more than 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
