package tansu.raft.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tansu.api.storage.LogEntry;
import tansu.raft.core.Configuration;
import tansu.raft.core.Message;
import tansu.raft.core.Proposal;

/**
 * The wire format between peers: a header saying who sends (node, cluster, environment, address),
 * then a batch of Raft messages. Everything read is bounded and checked: a malformed or oversized
 * batch is refused whole, never half-trusted.
 */
final class PeerCodec {

    private static final int MAGIC = 0x54414e53; // "TANS"
    private static final int VERSION = 3;
    private static final int MAX_MESSAGES = 100_000;
    private static final int MAX_ITEMS = 100_000;
    private static final int MAX_BYTES = 64 * 1024 * 1024;

    /**
     * Who sends a batch, or answers one. {@code cluster} is empty before the node belongs to one; until
     * then {@code stance} tells its part in founding one. {@code members} are where the sender knows its
     * cluster's other members answer (id to host:port): followers learn each other from their leader,
     * whatever discovery found, and can hold an election without it.
     */
    record Header(String cluster, String env, String node, String host, int port, Founding.Stance stance,
                  Map<String, String> members) {
        Header {
            members = Map.copyOf(members);
        }

        /** A header that names no other members. */
        Header(String cluster, String env, String node, String host, int port, Founding.Stance stance) {
            this(cluster, env, node, host, port, stance, Map.of());
        }
    }

    record Batch(Header header, List<Message.Peer> messages) {
    }

    private PeerCodec() {
    }

    /** The batch on its own (where batches are few: introductions, the blocking transport, tests). */
    static byte[] encode(Header header, List<Message.Peer> messages) {
        return new Encoder().encode(header, messages, 0).toByteArray();
    }

    static Batch decode(byte[] data) throws IOException {
        return new Decoder().decode(data, 0, data.length);
    }

    /**
     * Encodes batches into a buffer of its own, reused from batch to batch, and the header once for as
     * long as it stays the same (it changes when the node joins a cluster or learns its members). One
     * per connection: the buffer holds a batch until the connection has written it.
     */
    static final class Encoder {
        private final WireWriter out = new WireWriter();
        private Header header;
        private byte[] headerBytes;

        /**
         * The batch, after {@code reserved} bytes left for the caller (the head of the request that
         * carries it); valid until the next call.
         */
        WireWriter encode(Header from, List<Message.Peer> messages, int reserved) {
            out.clear().length(reserved);
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.write(headerBytes(from));
            out.writeInt(messages.size());
            for (Message.Peer m : messages) {
                write(out, m);
            }
            return out;
        }

        /**
         * An HTTP message carrying the batch: {@code headStart} (a head up to its Content-Length's
         * value), the length, a blank line, then the batch, in this encoder's buffer; valid until the
         * next call.
         */
        ByteBuffer message(byte[] headStart, Header from, List<Message.Peer> messages) {
            int reserved = headStart.length + HttpHead.END_BYTES;
            encode(from, messages, reserved);
            int at = HttpHead.put(out.array(), reserved, headStart, out.length() - reserved);
            return ByteBuffer.wrap(out.array(), at, out.length() - at);
        }

        private byte[] headerBytes(Header from) {
            if (from != header && !from.equals(header)) {
                WireWriter h = new WireWriter();
                h.writeUTF(from.cluster());
                h.writeUTF(from.env());
                h.writeUTF(from.node());
                h.writeUTF(from.host());
                h.writeInt(from.port());
                h.writeUTF(from.stance().founder());
                h.writeLong(from.stance().round());
                h.writeLong(from.stance().epoch());
                h.writeInt(from.members().size());
                for (Map.Entry<String, String> m : new TreeMap<>(from.members()).entrySet()) {
                    h.writeUTF(m.getKey());
                    h.writeUTF(m.getValue());
                }
                headerBytes = h.toByteArray();
                header = from;
            }
            return headerBytes;
        }
    }

    /**
     * Decodes batches, keeping the last header it read: a peer sends the same one batch after batch,
     * and a batch whose header bytes are the last one's gets the same {@link Header} without building
     * it again. One per connection (or per thread).
     */
    static final class Decoder {
        private final WireReader in = new WireReader();
        private byte[] headerBytes = new byte[0];
        private Header header;
        private final List<String> members = new ArrayList<>();

        Batch decode(byte[] data, int offset, int length) throws IOException {
            in.reset(data, offset, length);
            try {
                if (in.readInt() != MAGIC || in.readByte() != VERSION) {
                    throw new IOException("not a Tansu peer batch of version " + VERSION);
                }
                Header from = header();
                int count = bounded(in.readInt(), MAX_MESSAGES, "messages");
                List<Message.Peer> messages = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    Message.Peer m = read(in);
                    if (!m.from().equals(from.node())) {
                        throw new IOException("a message from " + m.from() + " in a batch from " + from.node());
                    }
                    messages.add(m);
                }
                if (in.remaining() != 0) {
                    throw new IOException("trailing bytes after the batch");
                }
                return new Batch(from, messages);
            } catch (EOFException | IllegalArgumentException e) {
                throw new IOException("truncated or malformed batch: " + e.getMessage(), e);
            }
        }

        private Header header() throws IOException {
            int start = in.position();
            String cluster = in.readUTF();
            String env = in.readUTF();
            String node = in.readUTF();
            String host = in.readUTF();
            int port = in.readInt();
            String founder = in.readUTF();
            long round = in.readLong();
            long epoch = in.readLong();
            int count = bounded(in.readInt(), 1000, "members");
            members.clear();
            for (int i = 0; i < count; i++) {
                String id = in.readUTF();
                String address = in.readUTF();
                if (!hostAndPort(address)) {
                    throw new IOException("member address '" + address + "' is not host:port");
                }
                members.add(id);
                members.add(address);
            }
            int end = in.position();
            if (header != null && Arrays.equals(headerBytes, 0, headerBytes.length, in.array(), start, end)) {
                return header;
            }
            Map<String, String> byId = new TreeMap<>();
            for (int i = 0; i < members.size(); i += 2) {
                byId.put(members.get(i), members.get(i + 1));
            }
            header = new Header(cluster, env, node, host, port, new Founding.Stance(founder, round, epoch), byId);
            headerBytes = Arrays.copyOfRange(in.array(), start, end);
            return header;
        }
    }

    /** Whether {@code address} is something, a colon, and a port number. */
    private static boolean hostAndPort(String address) {
        int colon = address.lastIndexOf(':');
        int digits = address.length() - colon - 1;
        if (colon <= 0 || digits < 1 || digits > 9) {
            return false;
        }
        for (int i = colon + 1; i < address.length(); i++) {
            if (address.charAt(i) < '0' || address.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int bounded(int n, int max, String what) throws IOException {
        if (n < 0 || n > max) {
            throw new IOException(n + " " + what + " is out of bounds");
        }
        return n;
    }

    private static final byte APPEND = 1;
    private static final byte APPEND_RESPONSE = 2;
    private static final byte HEARTBEAT = 3;
    private static final byte HEARTBEAT_RESPONSE = 4;
    private static final byte REQUEST_VOTE = 5;
    private static final byte VOTE_RESPONSE = 6;
    private static final byte INSTALL_SNAPSHOT = 7;
    private static final byte SNAPSHOT_RESPONSE = 8;
    private static final byte TIMEOUT_NOW = 9;
    private static final byte FORWARD_PROPOSE = 10;
    private static final byte READ_INDEX_REQUEST = 11;
    private static final byte READ_INDEX_RESPONSE = 12;
    private static final byte ADMIN_REQUEST = 13;

    private static void write(WireWriter out, Message.Peer m) {
        if (m instanceof Message.AppendEntries a) {
            header(out, APPEND, m);
            out.writeLong(a.prevIndex());
            out.writeLong(a.prevTerm());
            out.writeLong(a.commit());
            out.writeInt(a.entries().size());
            for (LogEntry e : a.entries()) {
                out.writeLong(e.index());
                out.writeLong(e.term());
                out.writeLong(e.timestamp());
                out.writeByte(e.type().ordinal());
                out.writeUTF(e.machine());
                out.writeUTF(e.origin());
                out.writeLong(e.requestId());
                bytes(out, e.data());
            }
        } else if (m instanceof Message.AppendResponse r) {
            header(out, APPEND_RESPONSE, m);
            out.writeLong(r.index());
            out.writeBoolean(r.reject());
            out.writeLong(r.hint());
        } else if (m instanceof Message.Heartbeat h) {
            header(out, HEARTBEAT, m);
            out.writeLong(h.commit());
            out.writeLong(h.context());
        } else if (m instanceof Message.HeartbeatResponse h) {
            header(out, HEARTBEAT_RESPONSE, m);
            out.writeLong(h.context());
        } else if (m instanceof Message.RequestVote v) {
            header(out, REQUEST_VOTE, m);
            out.writeLong(v.lastIndex());
            out.writeLong(v.lastTerm());
            out.writeBoolean(v.preVote());
            out.writeBoolean(v.transfer());
        } else if (m instanceof Message.VoteResponse v) {
            header(out, VOTE_RESPONSE, m);
            out.writeBoolean(v.granted());
            out.writeBoolean(v.preVote());
        } else if (m instanceof Message.InstallSnapshot s) {
            header(out, INSTALL_SNAPSHOT, m);
            out.writeLong(s.index());
            out.writeLong(s.snapshotTerm());
            ids(out, s.configuration().voters());
            ids(out, s.configuration().learners());
            out.writeLong(s.offset());
            bytes(out, s.chunk());
            out.writeBoolean(s.done());
        } else if (m instanceof Message.SnapshotResponse s) {
            header(out, SNAPSHOT_RESPONSE, m);
            out.writeLong(s.index());
            out.writeLong(s.nextOffset());
            out.writeBoolean(s.reject());
        } else if (m instanceof Message.TimeoutNow) {
            header(out, TIMEOUT_NOW, m);
        } else if (m instanceof Message.ForwardPropose p) {
            header(out, FORWARD_PROPOSE, m);
            out.writeInt(p.proposals().size());
            for (Proposal proposal : p.proposals()) {
                out.writeUTF(proposal.machine());
                out.writeUTF(proposal.origin());
                out.writeLong(proposal.requestId());
                bytes(out, proposal.data());
                out.writeLong(proposal.timestamp());
            }
        } else if (m instanceof Message.ReadIndexRequest r) {
            header(out, READ_INDEX_REQUEST, m);
            out.writeLong(r.context());
        } else if (m instanceof Message.ReadIndexResponse r) {
            header(out, READ_INDEX_RESPONSE, m);
            out.writeLong(r.context());
            out.writeLong(r.index());
        } else if (m instanceof Message.AdminRequest r) {
            header(out, ADMIN_REQUEST, m);
            out.writeUTF(r.member() == null ? "" : r.member());
            out.writeBoolean(r.add());
            out.writeUTF(r.target() == null ? "" : r.target());
        } else {
            throw new IllegalArgumentException("cannot send " + m);
        }
    }

    private static void header(WireWriter out, byte type, Message.Peer m) {
        out.writeByte(type);
        out.writeUTF(m.from());
        out.writeUTF(m.to());
        out.writeLong(m.term());
    }

    private static Message.Peer read(WireReader in) throws IOException {
        byte type = in.readByte();
        String from = in.readUTF();
        String to = in.readUTF();
        long term = in.readLong();
        if (term < 0) {
            throw new IOException("negative term");
        }
        switch (type) {
            case APPEND: {
                long prevIndex = in.readLong();
                long prevTerm = in.readLong();
                long commit = in.readLong();
                int n = bounded(in.readInt(), MAX_ITEMS, "entries");
                List<LogEntry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long index = in.readLong();
                    long entryTerm = in.readLong();
                    long timestamp = in.readLong();
                    int kind = in.readByte();
                    if (kind < 0 || kind >= LogEntry.Type.values().length) {
                        throw new IOException("unknown entry type " + kind);
                    }
                    entries.add(new LogEntry(index, entryTerm, timestamp, LogEntry.Type.values()[kind], in.readUTF(),
                        in.readUTF(), in.readLong(), bytes(in)));
                }
                for (int i = 0; i < entries.size(); i++) {
                    if (entries.get(i).index() != prevIndex + 1 + i) {
                        throw new IOException("entries do not follow prevIndex " + prevIndex);
                    }
                }
                return new Message.AppendEntries(from, to, term, prevIndex, prevTerm, entries, commit);
            }
            case APPEND_RESPONSE:
                return new Message.AppendResponse(from, to, term, in.readLong(), in.readBoolean(), in.readLong());
            case HEARTBEAT:
                return new Message.Heartbeat(from, to, term, in.readLong(), in.readLong());
            case HEARTBEAT_RESPONSE:
                return new Message.HeartbeatResponse(from, to, term, in.readLong());
            case REQUEST_VOTE:
                return new Message.RequestVote(from, to, term, in.readLong(), in.readLong(), in.readBoolean(), in.readBoolean());
            case VOTE_RESPONSE:
                return new Message.VoteResponse(from, to, term, in.readBoolean(), in.readBoolean());
            case INSTALL_SNAPSHOT: {
                long index = in.readLong();
                long snapshotTerm = in.readLong();
                Configuration configuration = new Configuration(ids(in), ids(in));
                return new Message.InstallSnapshot(from, to, term, index, snapshotTerm, configuration, in.readLong(),
                    bytes(in), in.readBoolean());
            }
            case SNAPSHOT_RESPONSE:
                return new Message.SnapshotResponse(from, to, term, in.readLong(), in.readLong(), in.readBoolean());
            case TIMEOUT_NOW:
                return new Message.TimeoutNow(from, to, term);
            case FORWARD_PROPOSE: {
                int n = bounded(in.readInt(), MAX_ITEMS, "proposals");
                List<Proposal> proposals = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    proposals.add(new Proposal(in.readUTF(), in.readUTF(), in.readLong(), bytes(in), in.readLong()));
                }
                return new Message.ForwardPropose(from, to, term, proposals);
            }
            case READ_INDEX_REQUEST:
                return new Message.ReadIndexRequest(from, to, term, in.readLong());
            case READ_INDEX_RESPONSE:
                return new Message.ReadIndexResponse(from, to, term, in.readLong(), in.readLong());
            case ADMIN_REQUEST: {
                String member = in.readUTF();
                boolean add = in.readBoolean();
                String target = in.readUTF();
                if (member.isEmpty() == target.isEmpty()) {
                    throw new IOException("an admin request names a member or a target, not both or neither");
                }
                return new Message.AdminRequest(from, to, term, member.isEmpty() ? null : member, add,
                    target.isEmpty() ? null : target);
            }
            default:
                throw new IOException("unknown message type " + type);
        }
    }

    private static void bytes(WireWriter out, byte[] bytes) {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] bytes(WireReader in) throws IOException {
        int n = bounded(in.readInt(), MAX_BYTES, "bytes");
        if (n > in.remaining()) {
            // Not a buffer of what a truncated batch only claims.
            throw new EOFException(n + " bytes declared, " + in.remaining() + " left");
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    private static void ids(WireWriter out, List<String> ids) {
        out.writeInt(ids.size());
        for (String id : ids) {
            out.writeUTF(id);
        }
    }

    private static List<String> ids(WireReader in) throws IOException {
        int n = bounded(in.readInt(), MAX_ITEMS, "ids");
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(in.readUTF());
        }
        return ids;
    }
}
