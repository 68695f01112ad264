package tansu.lock.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** What the {@code lock} machine is asked, as log entries carry it. */
sealed interface LockCommand {

    /** A session served by {@code node} asks for a lock (to {@code queue} where it is held); its first request opens it. */
    record Acquire(String session, String node, String name, boolean queue) implements LockCommand {
    }

    /** A node keeps its sessions alive. */
    record Renew(String node, List<String> sessions) implements LockCommand {
        public Renew {
            sessions = List.copyOf(sessions);
        }
    }

    /** The client of a session is gone: what it held passes on, its places in queues go. */
    record Close(String session) implements LockCommand {
    }

    /** The leader saw no renewal of the session for a lease: it ends, unless renewed meanwhile. */
    record Expire(String session, long renewals) implements LockCommand {
    }

    /** Whoever holds {@code name} with {@code token} lets it go. */
    record Release(String name, long token) implements LockCommand {
    }

    static byte[] encode(LockCommand command) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            if (command instanceof Acquire a) {
                out.writeByte(1);
                out.writeUTF(a.session());
                out.writeUTF(a.node());
                out.writeUTF(a.name());
                out.writeBoolean(a.queue());
            } else if (command instanceof Renew r) {
                out.writeByte(2);
                out.writeUTF(r.node());
                out.writeInt(r.sessions().size());
                for (String s : r.sessions()) {
                    out.writeUTF(s);
                }
            } else if (command instanceof Close c) {
                out.writeByte(3);
                out.writeUTF(c.session());
            } else if (command instanceof Expire e) {
                out.writeByte(4);
                out.writeUTF(e.session());
                out.writeLong(e.renewals());
            } else if (command instanceof Release r) {
                out.writeByte(5);
                out.writeUTF(r.name());
                out.writeLong(r.token());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LockCommand decode(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            return switch (in.readByte()) {
                case 1 -> new Acquire(in.readUTF(), in.readUTF(), in.readUTF(), in.readBoolean());
                case 2 -> {
                    String node = in.readUTF();
                    int n = in.readInt();
                    List<String> sessions = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        sessions.add(in.readUTF());
                    }
                    yield new Renew(node, sessions);
                }
                case 3 -> new Close(in.readUTF());
                case 4 -> new Expire(in.readUTF(), in.readLong());
                case 5 -> new Release(in.readUTF(), in.readLong());
                default -> throw new IOException("unknown lock command");
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
