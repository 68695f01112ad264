package tansu.raft.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tansu.raft.core.Message;

/**
 * Sends Raft messages to peers over HTTP on their own ports: one sender thread per peer drains its
 * queue into one batch per request on a persistent connection, so messages that pile up while a
 * request is under way travel together. A batch that cannot be delivered is dropped: Raft resends.
 */
final class PeerTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerTransport.class);
    private static final int MAX_BATCH = 4096;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofMillis(500)).build();
    private final AddressBook book;
    private final Supplier<PeerCodec.Header> self;
    private final Map<String, Sender> senders = new ConcurrentHashMap<>();
    private volatile TransportFaults faults = TransportFaults.NONE;
    private volatile boolean open = true;

    PeerTransport(AddressBook book, Supplier<PeerCodec.Header> self) {
        this.book = book;
        this.self = self;
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
        try {
            return post(host, port, List.of());
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    private PeerCodec.Header post(String host, int port, List<Message.Peer> batch) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + PeerServlet.PATH))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(PeerCodec.encode(self.get(), batch)))
            .build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(host + ":" + port + " refused the batch: " + response.statusCode() + " "
                + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        PeerCodec.Header answer = PeerCodec.decode(response.body()).header();
        book.learn(answer);
        return answer;
    }

    @Override
    public void close() {
        open = false;
        senders.values().forEach(s -> s.thread.interrupt());
    }

    /** The messages for one peer, and the thread that sends them. */
    private final class Sender {
        final String peer;
        /** Bounded: while a peer is unreachable, what it misses is dropped, and Raft resends what matters. */
        final BlockingQueue<Message.Peer> queue = new LinkedBlockingQueue<>(16_384);
        final Thread thread;

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
                    queue.drainTo(batch, MAX_BATCH - 1);
                    TransportFaults f = faults;
                    if (f.cut().contains(peer) || ThreadLocalRandom.current().nextDouble() < f.drop()) {
                        continue;
                    }
                    if (f.delayMs() > 0) {
                        Thread.sleep(f.delayMs());
                    }
                    AddressBook.Entry address = book.get(peer);
                    if (address != null) {
                        post(address.host(), address.port(), batch);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Could not send {} messages to {}: {}", batch.size(), peer, e.toString());
                }
            }
        }
    }
}
