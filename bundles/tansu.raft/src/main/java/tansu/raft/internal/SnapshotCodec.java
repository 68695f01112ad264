package tansu.raft.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A node snapshot: the snapshot of each state machine, by machine name. */
final class SnapshotCodec {

    private static final int FORMAT = 1;

    private SnapshotCodec() {
    }

    static byte[] encode(Map<String, byte[]> parts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(FORMAT);
        Map<String, byte[]> sorted = new TreeMap<>(parts);
        out.writeInt(sorted.size());
        for (Map.Entry<String, byte[]> part : sorted.entrySet()) {
            out.writeUTF(part.getKey());
            out.writeInt(part.getValue().length);
            out.write(part.getValue());
        }
        out.flush();
        return bytes.toByteArray();
    }

    static Map<String, byte[]> decode(byte[] data) throws IOException {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        if (data.length == 0) {
            return parts;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("unknown snapshot format " + format);
        }
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            byte[] part = new byte[in.readInt()];
            in.readFully(part);
            parts.put(name, part);
        }
        return parts;
    }
}
