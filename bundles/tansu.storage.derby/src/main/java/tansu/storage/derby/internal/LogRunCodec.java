package tansu.storage.derby.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import tansu.api.storage.LogEntry;

/**
 * A run of consecutive log entries as the bytes of one row: what one append writes goes in one insert,
 * rather than a row (and an index entry, and their log records) per entry. The fields are those the
 * peer transport sends, but this format is the disk's and keeps its own version: a node must read its
 * log after an upgrade that changed the wire.
 */
final class LogRunCodec {

    private static final byte VERSION = 1;
    private static final LogEntry.Type[] TYPES = LogEntry.Type.values();

    private LogRunCodec() {
    }

    static byte[] encode(List<LogEntry> run) {
        int size = 8;
        for (LogEntry e : run) {
            size += 48 + 3 * (e.machine().length() + e.origin().length()) + e.data().length;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(run.size());
            for (LogEntry e : run) {
                out.writeLong(e.index());
                out.writeLong(e.term());
                out.writeLong(e.timestamp());
                out.writeByte(e.type().ordinal());
                out.writeUTF(e.machine());
                out.writeUTF(e.origin());
                out.writeLong(e.requestId());
                out.writeInt(e.data().length);
                out.write(e.data());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The run whose first entry is {@code first}; refuses bytes that are not one, whole and consecutive. */
    static List<LogEntry> decode(long first, byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        try {
            if (in.readByte() != VERSION) {
                throw new IOException("log run of an unknown version");
            }
            int count = in.readInt();
            // Each entry takes at least 41 bytes, which bounds the count by the data.
            if (count <= 0 || count > data.length / 41) {
                throw new IOException("log run of " + count + " entries in " + data.length + " bytes");
            }
            List<LogEntry> run = new ArrayList<>(count);
            String origin = null;
            for (int i = 0; i < count; i++) {
                long index = in.readLong();
                if (index != first + i) {
                    throw new IOException("log run from " + first + " holds entry " + index + " at place " + i);
                }
                long term = in.readLong();
                long timestamp = in.readLong();
                int type = in.readUnsignedByte();
                if (type >= TYPES.length) {
                    throw new IOException("entry " + index + " of unknown type " + type);
                }
                String machine = in.readUTF().intern();
                String entryOrigin = in.readUTF();
                // Most of a run comes from one node: one string for all its entries.
                origin = entryOrigin.equals(origin) ? origin : entryOrigin;
                long requestId = in.readLong();
                int length = in.readInt();
                if (length < 0 || length > in.available()) {
                    throw new IOException("entry " + index + " claims " + length + " bytes");
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                run.add(new LogEntry(index, term, timestamp, TYPES[type], machine, origin, requestId, bytes));
            }
            if (in.read() != -1) {
                throw new IOException("trailing bytes after a log run from " + first);
            }
            return run;
        } catch (EOFException e) {
            throw new IOException("log run from " + first + " cut short", e);
        }
    }
}
