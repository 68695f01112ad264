package tansu.raft.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tansu.api.Entry;

/**
 * A node snapshot: each state machine's part by machine name, that is its own snapshot and the entries
 * held for it (format 2); format 1, the machines' snapshots alone, is still read.
 */
final class SnapshotCodec {

    private static final int FORMAT = 2;

    private SnapshotCodec() {
    }

    static byte[] encode(Map<String, MachineSet.Part> parts) throws IOException {
        Map<String, MachineSet.Part> sorted = new TreeMap<>(parts);
        // Sized exactly: a snapshot is megabytes, and the copies a growing buffer makes were garbage
        // that lived long enough to reach the old generation, and to cost a full collection.
        long size = 8;
        for (Map.Entry<String, MachineSet.Part> part : sorted.entrySet()) {
            byte[] state = part.getValue().state();
            size += utfLength(part.getKey()) + 4 + (state == null ? 0 : state.length) + 4;
            for (Entry e : part.getValue().held()) {
                size += 28 + e.command().length;
            }
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("a snapshot of " + size + " bytes is more than one array holds");
        }
        ExactBytes bytes = new ExactBytes((int) size);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(FORMAT);
        out.writeInt(sorted.size());
        for (Map.Entry<String, MachineSet.Part> part : sorted.entrySet()) {
            out.writeUTF(part.getKey());
            byte[] state = part.getValue().state();
            out.writeInt(state == null ? -1 : state.length);
            if (state != null) {
                out.write(state);
            }
            out.writeInt(part.getValue().held().size());
            for (Entry e : part.getValue().held()) {
                out.writeLong(e.index());
                out.writeLong(e.term());
                out.writeLong(e.timestamp());
                out.writeInt(e.command().length);
                out.write(e.command());
            }
        }
        out.flush();
        return bytes.filled();
    }

    /** The length {@link DataOutputStream#writeUTF} gives {@code s}. */
    private static int utfLength(String s) {
        int length = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            length += c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
        }
        return length;
    }

    /** An output into an array of the size it will have. */
    private static final class ExactBytes extends java.io.OutputStream {
        private final byte[] bytes;
        private int at;

        ExactBytes(int size) {
            bytes = new byte[size];
        }

        @Override
        public void write(int b) {
            bytes[at++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            System.arraycopy(b, off, bytes, at, len);
            at += len;
        }

        byte[] filled() {
            if (at != bytes.length) {
                throw new IllegalStateException("snapshot size computed as " + bytes.length + ", written " + at);
            }
            return bytes;
        }
    }

    static Map<String, MachineSet.Part> decode(byte[] data) throws IOException {
        Map<String, MachineSet.Part> parts = new LinkedHashMap<>();
        if (data.length == 0) {
            return parts;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        int format = in.readInt();
        if (format != 1 && format != FORMAT) {
            throw new IOException("unknown snapshot format " + format);
        }
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            int length = in.readInt();
            byte[] state = null;
            if (length >= 0) {
                state = new byte[length];
                in.readFully(state);
            }
            List<Entry> held = new ArrayList<>();
            if (format == FORMAT) {
                for (int n = in.readInt(); n > 0; n--) {
                    long index = in.readLong();
                    long term = in.readLong();
                    long timestamp = in.readLong();
                    byte[] command = new byte[in.readInt()];
                    in.readFully(command);
                    held.add(new Entry(index, term, timestamp, command));
                }
            }
            parts.put(name, new MachineSet.Part(state, held));
        }
        return parts;
    }
}
