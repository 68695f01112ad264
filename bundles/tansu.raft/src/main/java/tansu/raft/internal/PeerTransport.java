package tansu.raft.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tansu.api.storage.LogEntry;
import tansu.raft.core.Message;

/**
 * Sends Raft messages to peers over HTTP on their own ports: one sender thread per peer drains its
 * queue into one batch per request on its own persistent connection ({@link PeerConnection}), so
 * messages that pile up while a request is under way travel together. The peer answers in the
 * response what it sends back right after handling the batch (answers to appends, after its fsync),
 * which saves it a request of its own. A batch that cannot be delivered is dropped: Raft resends.
 * The driver's own {@link PeerChannels} carry most messages without these threads; this carries
 * introductions, messages to peers known by a name, and messages under injected faults.
 */
final class PeerTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerTransport.class);
    static final int MAX_BATCH = 4096;
    /** While a peer is slow, what it has not taken yet is bounded (both transports): beyond this, more is dropped. */
    static final int MAX_WAITING = 16_384;
    /**
     * A batch stops growing past this many bytes of entries and snapshot chunks: the peer holds a whole
     * batch in memory, twice (body and decoded), and so does this node while encoding it.
     */
    static final long MAX_BATCH_PAYLOAD = 4L * 1024 * 1024;

    private final AddressBook book;
    private final Supplier<PeerCodec.Header> self;
    /** Where the messages a peer answers in its response go (checked and stepped like a batch of its own). */
    private final Consumer<PeerCodec.Batch> answers;
    private final Map<String, Sender> senders = new ConcurrentHashMap<>();
    private volatile TransportFaults faults = TransportFaults.NONE;
    private volatile boolean open = true;

    PeerTransport(AddressBook book, Supplier<PeerCodec.Header> self, Consumer<PeerCodec.Batch> answers) {
        this.book = book;
        this.self = self;
        this.answers = answers;
    }

    /** Whether what goes to {@code peer} meets injected faults: then it goes by a sender, which injects them. */
    boolean faulty(String peer) {
        TransportFaults f = faults;
        return f.drop() > 0 || f.delayMs() > 0 || f.cut().contains(peer);
    }

    void faults(TransportFaults faults) {
        this.faults = faults;
    }

    void send(List<Message.Peer> messages) {
        for (Message.Peer m : messages) {
            senders.computeIfAbsent(m.to(), Sender::new).queue.offer(m);
        }
    }

    /**
     * Introduces this node at {@code host:port} with an empty batch; the answer says who is there.
     * Answers that node's header, or {@code null} where nobody answered.
     */
    PeerCodec.Header hello(String host, int port) {
        // The hello thread alone uses these connections.
        PeerConnection connection = helloConnections.computeIfAbsent(host + ":" + port, a -> new PeerConnection(host, port));
        try {
            return post(connection, List.of());
        } catch (IOException e) {
            return null;
        }
    }

    private final Map<String, PeerConnection> helloConnections = new ConcurrentHashMap<>();

    private PeerCodec.Header post(PeerConnection connection, List<Message.Peer> batch) throws IOException {
        byte[] answer = connection.post(PeerServlet.PATH, PeerCodec.encode(self.get(), batch));
        PeerCodec.Batch answered = PeerCodec.decode(answer);
        book.learn(answered.header());
        if (!answered.messages().isEmpty()) {
            answers.accept(answered);
        }
        return answered.header();
    }

    @Override
    public void close() {
        open = false;
        senders.values().forEach(s -> s.thread.interrupt());
        helloConnections.values().forEach(PeerConnection::close);
    }

    /**
     * Adds to {@code batch} what waits in {@code queue}, until it holds {@link #MAX_BATCH} messages or
     * {@link #MAX_BATCH_PAYLOAD} bytes of entries and chunks (the message that crosses it included).
     */
    static void fill(List<Message.Peer> batch, Queue<Message.Peer> queue) {
        long payload = 0;
        for (Message.Peer m : batch) {
            payload += payload(m);
        }
        while (batch.size() < MAX_BATCH && payload < MAX_BATCH_PAYLOAD) {
            Message.Peer next = queue.poll();
            if (next == null) {
                return;
            }
            batch.add(next);
            payload += payload(next);
        }
    }

    /** Roughly the bytes a message adds to a batch beyond its fixed fields. */
    private static long payload(Message.Peer m) {
        if (m instanceof Message.AppendEntries append) {
            long bytes = 0;
            for (LogEntry e : append.entries()) {
                bytes += e.data().length;
            }
            return bytes;
        }
        if (m instanceof Message.InstallSnapshot chunk) {
            return chunk.chunk().length;
        }
        return 0;
    }

    /** The messages for one peer, and the thread that sends them. */
    private final class Sender {
        final String peer;
        /** Bounded: while a peer is unreachable, what it misses is dropped, and Raft resends what matters. */
        final BlockingQueue<Message.Peer> queue = new LinkedBlockingQueue<>(MAX_WAITING);
        final Thread thread;
        /** The connection to the peer's current address. */
        private PeerConnection connection;
        private String connectedTo = "";

        Sender(String peer) {
            this.peer = peer;
            this.thread = new Thread(this::run, "tansu-raft-send-" + peer.substring(0, Math.min(8, peer.length())));
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            List<Message.Peer> batch = new ArrayList<>();
            while (open) {
                try {
                    batch.clear();
                    batch.add(queue.take());
                    fill(batch, queue);
                    TransportFaults f = faults;
                    if (f.cut().contains(peer) || ThreadLocalRandom.current().nextDouble() < f.drop()) {
                        continue;
                    }
                    if (f.delayMs() > 0) {
                        Thread.sleep(f.delayMs());
                    }
                    AddressBook.Entry address = book.get(peer);
                    if (address != null) {
                        post(connectionTo(address), batch);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Could not send {} messages to {}: {}", batch.size(), peer, e.toString());
                }
            }
            if (connection != null) {
                connection.close();
            }
        }

        private PeerConnection connectionTo(AddressBook.Entry address) {
            String where = address.host() + ":" + address.port();
            if (!where.equals(connectedTo)) {
                if (connection != null) {
                    connection.close();
                }
                connection = new PeerConnection(address.host(), address.port());
                connectedTo = where;
            }
            return connection;
        }
    }
}
