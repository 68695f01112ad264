package tansu.kv.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import tansu.api.kv.Condition;
import tansu.api.kv.Value;

/** A write to the key-value store, as it travels in the log. */
sealed interface KvCommand {

    byte PUT = 1;
    byte DELETE = 2;
    byte EXPIRE = 3;

    /** Assign a value; {@code ttl} seconds, 0 for none. */
    record Put(String key, Value value, long ttl, Condition condition) implements KvCommand {
    }

    /** Delete a key and everything below it. */
    record Delete(String key, Condition condition) implements KvCommand {
    }

    /** The leader found the key's expiry passed; applies only where the key is unchanged since. */
    record Expire(String key, long updated) implements KvCommand {
    }

    static byte[] encode(KvCommand command) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            if (command instanceof Put p) {
                out.writeByte(PUT);
                out.writeUTF(p.key());
                out.writeUTF(p.value().contentType());
                writeBytes(out, p.value().bytes());
                out.writeLong(p.ttl());
                writeCondition(out, p.condition());
            } else if (command instanceof Delete d) {
                out.writeByte(DELETE);
                out.writeUTF(d.key());
                writeCondition(out, d.condition());
            } else if (command instanceof Expire e) {
                out.writeByte(EXPIRE);
                out.writeUTF(e.key());
                out.writeLong(e.updated());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KvCommand decode(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            byte op = in.readByte();
            switch (op) {
                case PUT:
                    return new Put(in.readUTF(), new Value(in.readUTF(), readBytes(in)), in.readLong(), readCondition(in));
                case DELETE:
                    return new Delete(in.readUTF(), readCondition(in));
                case EXPIRE:
                    return new Expire(in.readUTF(), in.readLong());
                default:
                    throw new IllegalArgumentException("unknown kv command " + op);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed kv command", e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    private static void writeCondition(DataOutputStream out, Condition c) throws IOException {
        int flags = (c.prevExist() != null ? 1 : 0) | (Boolean.TRUE.equals(c.prevExist()) ? 2 : 0)
            | (c.prevValue() != null ? 4 : 0) | (c.prevIndex() != null ? 8 : 0);
        out.writeByte(flags);
        if (c.prevValue() != null) {
            writeBytes(out, c.prevValue());
        }
        if (c.prevIndex() != null) {
            out.writeLong(c.prevIndex());
        }
    }

    private static Condition readCondition(DataInputStream in) throws IOException {
        int flags = in.readByte();
        Boolean prevExist = (flags & 1) != 0 ? (flags & 2) != 0 : null;
        byte[] prevValue = (flags & 4) != 0 ? readBytes(in) : null;
        Long prevIndex = (flags & 8) != 0 ? in.readLong() : null;
        return new Condition(prevExist, prevValue, prevIndex);
    }
}
