package tansu.kv.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import tansu.api.ChangeEvent;
import tansu.api.kv.Value;

/** A kv change in binary, for the history a snapshot carries. */
final class ChangeEventCodec {

    private ChangeEventCodec() {
    }

    static void write(DataOutput out, ChangeEvent e) throws IOException {
        out.writeLong(e.revision());
        writeString(out, e.type());
        writeString(out, e.key());
        out.writeInt(e.data().size());
        for (Map.Entry<String, Object> d : e.data().entrySet()) {
            writeString(out, d.getKey());
            writeDatum(out, d.getValue());
        }
    }

    static ChangeEvent read(DataInput in) throws IOException {
        long revision = in.readLong();
        String type = readString(in);
        String key = readString(in);
        int fields = in.readInt();
        Map<String, Object> data = new LinkedHashMap<>();
        for (int f = 0; f < fields; f++) {
            data.put(readString(in), readDatum(in));
        }
        return new ChangeEvent(revision, type, key, data);
    }

    private static void writeString(DataOutput out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInput in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("a length of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /** What kv changes carry: strings, whole numbers, booleans and values. */
    private static void writeDatum(DataOutput out, Object v) throws IOException {
        if (v instanceof String s) {
            out.writeByte('s');
            writeString(out, s);
        } else if (v instanceof Long || v instanceof Integer) {
            out.writeByte('l');
            out.writeLong(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            out.writeByte('b');
            out.writeBoolean(b);
        } else if (v instanceof Value value) {
            out.writeByte('v');
            writeString(out, value.contentType());
            writeBytes(out, value.bytes());
        } else {
            throw new IOException("a change carries a " + v.getClass().getName() + ", which the history cannot store");
        }
    }

    private static Object readDatum(DataInput in) throws IOException {
        int tag = in.readByte();
        switch (tag) {
            case 's':
                return readString(in);
            case 'l':
                return in.readLong();
            case 'b':
                return in.readBoolean();
            case 'v':
                String contentType = readString(in);
                return new Value(contentType, readBytes(in));
            default:
                throw new IOException("unknown datum tag " + tag);
        }
    }
}
