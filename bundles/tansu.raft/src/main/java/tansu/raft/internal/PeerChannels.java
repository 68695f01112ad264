package tansu.raft.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tansu.raft.core.Message;

/**
 * The driver's own connections to its peers: non-blocking sockets it writes batches to and reads
 * answers from itself, waiting on them and on its inbox in one {@link Selector}. A write then costs
 * no thread hand-off on this node: no sender thread to wake before the batch leaves, none to wake
 * the driver when the answer is back. Each peer has one persistent HTTP/1.1 connection with at most
 * {@link #MAX_UNDER_WAY} batches under way (pipelined); what the driver sends meanwhile waits and
 * leaves together in the next batch. A batch that cannot be delivered is dropped with what waited
 * behind it: Raft resends. Driver thread only, but for {@link #wakeup}.
 */
final class PeerChannels implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerChannels.class);
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(PeerConnection.CONNECT_TIMEOUT_MS);
    private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(PeerConnection.READ_TIMEOUT_MS);
    /**
     * Batches under way to one peer at most: pipelined on its connection, so that a batch need not
     * wait for the answer to the one before (a write's entries behind the previous write's commit,
     * say). The peer handles them in order, one after the other.
     */
    static final int MAX_UNDER_WAY = 2;
    /**
     * Addresses written as numbers: resolving a name could block the driver, so a peer known by a
     * name goes by {@link PeerTransport}'s sender threads instead.
     */
    private static final Pattern NUMERIC_HOST = Pattern.compile("[0-9.]+|.*:.*");

    private final Selector selector;
    private final AddressBook book;
    private final Supplier<PeerCodec.Header> self;
    private final Consumer<PeerCodec.Batch> answers;
    private final Map<String, Link> links = new HashMap<>();
    private final Map<String, Boolean> numericHosts = new HashMap<>();
    private final ByteBuffer received = ByteBuffer.allocateDirect(64 * 1024);
    private final long answerTimeoutNanos;
    private volatile boolean waiting;

    PeerChannels(AddressBook book, Supplier<PeerCodec.Header> self, Consumer<PeerCodec.Batch> answers) throws IOException {
        this(book, self, answers, ANSWER_TIMEOUT_NANOS);
    }

    /** Gives up a batch not answered within {@code answerTimeoutNanos}. */
    PeerChannels(AddressBook book, Supplier<PeerCodec.Header> self, Consumer<PeerCodec.Batch> answers,
                 long answerTimeoutNanos) throws IOException {
        this.selector = Selector.open();
        this.book = book;
        this.self = self;
        this.answers = answers;
        this.answerTimeoutNanos = answerTimeoutNanos;
    }

    /** Whether messages to {@code peer} can go this way: its address is known, and by number. */
    boolean reaches(String peer) {
        AddressBook.Entry address = book.get(peer);
        return address != null && numericHosts.computeIfAbsent(address.host(), h -> NUMERIC_HOST.matcher(h).matches());
    }

    /** Queues {@code messages} by peer; a batch leaves at once to each peer with none under way. */
    void send(List<Message.Peer> messages) {
        List<Link> touched = new ArrayList<>(2);
        for (Message.Peer m : messages) {
            Link link = links.computeIfAbsent(m.to(), Link::new);
            if (link.queue.size() < PeerTransport.MAX_WAITING) {
                link.queue.add(m);
            }
            if (!touched.contains(link)) {
                touched.add(link);
            }
        }
        long now = System.nanoTime();
        for (Link link : touched) {
            link.notices.queued(link.queue, now);
            link.next(now);
        }
    }

    /**
     * Waits up to {@code nanos} for answers, handling those that came, unless {@code idle} says there
     * is work already; any thread's {@link #wakeup} ends the wait. Without a wait, handles what came.
     */
    void await(long nanos, BooleanSupplier idle) throws IOException {
        if (nanos > 0) {
            waiting = true;
            try {
                long wait = nanos;
                long at = System.nanoTime();
                for (Link link : links.values()) {
                    if (!link.queue.isEmpty()) {
                        wait = link.notices.waitNanos(at, wait);
                    }
                }
                // Checked after announcing the wait: work added since then also calls wakeup().
                if (idle.getAsBoolean() && wait > 0) {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)));
                } else {
                    selector.selectNow();
                }
            } finally {
                waiting = false;
            }
        } else {
            selector.selectNow();
        }
        long now = System.nanoTime();
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
            SelectionKey key = ready.next();
            ready.remove();
            ((Selectable) key.attachment()).ready(key, now);
        }
        for (Link link : links.values()) {
            if (!link.queue.isEmpty() && !link.notices.holds(now)) {
                link.next(now);
            }
            if (link.overdue(now)) {
                link.fail(link.connecting() ? "no connection in time" : "no answer in time");
            }
        }
    }

    /** What waits on this selector: a peer's connection, the peer port and the connections it accepted. */
    interface Selectable {
        /** Handles what {@code key} is ready for (driver thread). */
        void ready(SelectionKey key, long now);
    }

    /** Waits on {@code channel} (non-blocking) for {@code ops} too; {@code handler} gets what is ready. */
    SelectionKey register(SelectableChannel channel, int ops, Selectable handler) throws IOException {
        return channel.register(selector, ops, handler);
    }

    /** Whether a connection to {@code peer} is open or being opened (tests await its failure with it). */
    boolean connected(String peer) {
        Link link = links.get(peer);
        return link != null && link.channel != null;
    }

    /** How many messages to {@code peer} wait to leave (tests see a commit notice held with it). */
    int waiting(String peer) {
        Link link = links.get(peer);
        return link == null ? 0 : link.queue.size();
    }

    /** Ends the driver's wait, if it waits (any thread). */
    void wakeup() {
        if (waiting) {
            selector.wakeup();
        }
    }

    @Override
    public void close() {
        links.values().forEach(Link::close);
        links.clear();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One peer's connection, what waits for it, and the batches under way. */
    private final class Link implements Selectable {
        final String peer;
        final ArrayDeque<Message.Peer> queue = new ArrayDeque<>();
        final CommitNotices notices = new CommitNotices();
        /** When each batch under way (written, or being written, and not answered) is given up, oldest first. */
        final ArrayDeque<Long> answersDue = new ArrayDeque<>();
        SocketChannel channel;
        SelectionKey key;
        String address = "";
        PeerResponseReader reader;
        /** The request being written; null once all of it is out. */
        ByteBuffer unwritten;
        /** When a connection under way is given up (System.nanoTime). */
        long connectDue;
        /** The peer port the peer's servlet named at {@link #peerPortOf} (its HTTP address), or 0. */
        int peerPort;
        String peerPortOf = "";
        /** The book's entry and the peer port that {@link #port}, {@link #where} and {@link #headStart} are for. */
        AddressBook.Entry addressed;
        int addressedPeerPort;
        int port;
        String where = "";
        byte[] headStart;
        /** Encodes each batch, after room for its head; it holds the batch until written. */
        final PeerCodec.Encoder encoder = new PeerCodec.Encoder();
        /** Decodes the peer's answers, the same header again and again. */
        final PeerCodec.Decoder decoder = new PeerCodec.Decoder();
        final List<Message.Peer> batch = new ArrayList<>();

        Link(String peer) {
            this.peer = peer;
        }

        boolean connecting() {
            return channel != null && channel.isConnectionPending();
        }

        boolean overdue(long now) {
            return connecting() ? now - connectDue > 0 : !answersDue.isEmpty() && now - answersDue.peekFirst() > 0;
        }

        /** Starts batches while fewer than {@link #MAX_UNDER_WAY} are under way, connecting first where needed. */
        void next(long now) {
            if (notices.holds(now)) {
                return;
            }
            while (unwritten == null && answersDue.size() < MAX_UNDER_WAY && !queue.isEmpty() && !connecting()) {
                AddressBook.Entry entry = book.get(peer);
                if (entry == null) {
                    queue.clear();
                    notices.dropped();
                    return;
                }
                if (entry != addressed || peerPort != addressedPeerPort) {
                    address(entry);
                }
                if (channel == null || !where.equals(address)) {
                    if (!answersDue.isEmpty()) {
                        return;
                    }
                    close();
                    connect(entry.host(), port, where, now);
                    continue;
                }
                batch.clear();
                PeerTransport.fill(batch, queue);
                unwritten = encoder.message(headStart, self.get(), batch);
                batch.clear();
                answersDue.add(now + answerTimeoutNanos);
                write();
            }
        }

        /**
         * Where batches go now that the book says {@code entry}: the HTTP port it names, or the peer
         * port that port named; worked out again only when either changes, not for every batch.
         */
        private void address(AddressBook.Entry entry) {
            String http = entry.host() + ":" + entry.port();
            if (!http.equals(peerPortOf)) {
                peerPort = 0;
            }
            port = peerPort > 0 ? peerPort : entry.port();
            where = peerPort > 0 ? entry.host() + ":" + peerPort : http;
            headStart = PeerConnection.headStart(entry.host(), port, PeerServlet.PATH);
            addressed = entry;
            addressedPeerPort = peerPort;
        }

        private void connect(String host, int port, String where, long now) {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                address = where;
                reader = new PeerResponseReader(where);
                key = channel.register(selector, 0, this);
                if (!channel.connect(new InetSocketAddress(host, port))) {
                    key.interestOps(SelectionKey.OP_CONNECT);
                    connectDue = now + CONNECT_TIMEOUT_NANOS;
                }
            } catch (IOException | RuntimeException e) {
                fail(e.toString());
            }
        }

        private void write() {
            try {
                channel.write(unwritten);
                if (unwritten.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
                } else {
                    unwritten = null;
                    key.interestOps(SelectionKey.OP_READ);
                }
            } catch (IOException e) {
                fail(e.toString());
            }
        }

        @Override
        public void ready(SelectionKey selected, long now) {
            if (!selected.isValid()) {
                return;
            }
            try {
                if (selected.isConnectable()) {
                    if (channel.finishConnect()) {
                        key.interestOps(SelectionKey.OP_READ);
                        next(now);
                    }
                    return;
                }
                if (selected.isReadable() && !read()) {
                    return;
                }
                if (selected.isValid() && selected.isWritable() && unwritten != null) {
                    write();
                }
                next(now);
            } catch (IOException | RuntimeException e) {
                fail(e.toString());
            }
        }

        /** Reads what came, answer by answer; answers whether the connection is still open. */
        private boolean read() throws IOException {
            received.clear();
            int n = channel.read(received);
            if (n < 0) {
                fail("connection closed by " + address);
                return false;
            }
            received.flip();
            while (received.hasRemaining()) {
                if (answersDue.isEmpty()) {
                    throw new IOException(address + " sent " + received.remaining() + " bytes unasked");
                }
                byte[] answer;
                try {
                    answer = reader.take(received);
                } catch (PeerResponseReader.Refusal refused) {
                    // Refused whole (another cluster, say): the batches pipelined behind it still get theirs.
                    LOG.debug("{}", refused.getMessage());
                    answersDue.poll();
                    answer = null;
                }
                if (answer == null) {
                    if (reader.midway()) {
                        return true;
                    }
                    continue;
                }
                answersDue.poll();
                if (reader.peerPort() > 0 && reader.peerPort() != peerPort) {
                    // Batches from the next connection on go to the peer's driver itself.
                    LOG.debug("{} takes batches on its peer port {}", peer, reader.peerPort());
                    peerPort = reader.peerPort();
                    peerPortOf = address;
                }
                PeerCodec.Batch answered = decoder.decode(answer, 0, answer.length);
                book.learn(answered.header());
                if (!answered.messages().isEmpty()) {
                    answers.accept(answered);
                }
                if (reader.closeAfter()) {
                    if (!answersDue.isEmpty()) {
                        fail(address + " closed the connection with batches under way");
                    } else {
                        close();
                    }
                    return false;
                }
            }
            return true;
        }

        void fail(String why) {
            LOG.debug("Dropped {} messages and {} batches to {} at {}: {}", queue.size(), answersDue.size(), peer, address, why);
            if (!address.equals(peerPortOf)) {
                // Not the HTTP port that named the peer port: back to it, and it names the peer port
                // anew (a restarted peer has another).
                peerPort = 0;
            }
            queue.clear();
            notices.dropped();
            close();
        }

        void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            channel = null;
            key = null;
            unwritten = null;
            answersDue.clear();
        }
    }
}
