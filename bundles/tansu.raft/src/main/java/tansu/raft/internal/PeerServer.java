package tansu.raft.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tansu.raft.core.Message;

/**
 * The peer port: the driver's own listener for its peers' batches, waited on in the same selector as
 * its inbox and its connections to peers. A batch that comes this way reaches the driver without a
 * thread hand-off, and its answer (after the fsync) leaves from the driver thread: on a follower that
 * is two wake-ups and a container's request handling fewer per batch than the peer servlet, which
 * stays for introductions, for peers that do not know this port, and for batches under injected
 * faults. The protocol is the servlet's (POST {@link PeerServlet#PATH}, pipelined HTTP/1.1, a batch
 * refused whole where malformed or foreign); peers learn the port from the servlet's
 * {@link #PORT_HEADER}. Driver thread only.
 */
final class PeerServer implements PeerChannels.Selectable, AutoCloseable {

    /** The response header by which the peer servlet tells a peer this port. */
    static final String PORT_HEADER = "Tansu-Peer-Port";
    /**
     * Peers' connections at most (a cluster needs one per peer); one more takes the place of the one
     * that has been silent longest, most likely left by a peer that went without closing it.
     */
    static final int MAX_CONNECTIONS = 64;
    /** Answers not yet written on one connection at most, before it is read again. */
    static final int MAX_UNANSWERED = 8;
    private static final Logger LOG = LoggerFactory.getLogger(PeerServer.class);

    private final ServerSocketChannel listener;
    private final int port;
    private final PeerChannels channels;
    private final Supplier<PeerCodec.Header> self;
    private final Function<PeerCodec.Header, String> refusal;
    private final Function<PeerCodec.Batch, CompletableFuture<List<Message.Peer>>> receive;
    private final Set<Connection> connections = new HashSet<>();
    private final ByteBuffer received = ByteBuffer.allocateDirect(64 * 1024);

    private PeerServer(ServerSocketChannel listener, PeerChannels channels, Supplier<PeerCodec.Header> self,
                       Function<PeerCodec.Header, String> refusal,
                       Function<PeerCodec.Batch, CompletableFuture<List<Message.Peer>>> receive) {
        this.listener = listener;
        this.port = listener.socket().getLocalPort();
        this.channels = channels;
        this.self = self;
        this.refusal = refusal;
        this.receive = receive;
    }

    /**
     * Listens on {@code port} of every address (0: a free one), waiting on {@code channels}' selector;
     * {@code null} where {@code port} is negative or cannot be had, and peers use the HTTP port.
     * {@code receive} hands a batch to the driver and completes, on the driver thread, with its answers.
     */
    static PeerServer open(int port, PeerChannels channels, Supplier<PeerCodec.Header> self,
                           Function<PeerCodec.Header, String> refusal,
                           Function<PeerCodec.Batch, CompletableFuture<List<Message.Peer>>> receive) {
        if (port < 0) {
            return null;
        }
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(port));
            listener.configureBlocking(false);
            PeerServer server = new PeerServer(listener, channels, self, refusal, receive);
            channels.register(listener, SelectionKey.OP_ACCEPT, server);
            return server;
        } catch (IOException | RuntimeException e) {
            LOG.warn("No peer port {}: peers send batches to the HTTP port instead ({})", port, e.toString());
            if (listener != null) {
                try {
                    listener.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            return null;
        }
    }

    /** The port peers reach this node's driver on (any thread). */
    int port() {
        return port;
    }

    /** Connections open now (tests). */
    int connections() {
        return connections.size();
    }

    @Override
    public void ready(SelectionKey key, long now) {
        if (!key.isValid() || !key.isAcceptable()) {
            return;
        }
        try {
            SocketChannel accepted;
            while ((accepted = listener.accept()) != null) {
                if (connections.size() >= MAX_CONNECTIONS) {
                    Connection silent = connections.stream().min(Comparator.comparingLong(c -> c.lastRead)).orElseThrow();
                    LOG.warn("Peer port: {} connections open; closed the one silent longest ({} ms)", MAX_CONNECTIONS,
                        TimeUnit.NANOSECONDS.toMillis(now - silent.lastRead));
                    silent.close();
                }
                accepted.configureBlocking(false);
                accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                accepted.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                Connection c = new Connection(accepted, now);
                c.key = channels.register(accepted, SelectionKey.OP_READ, c);
                connections.add(c);
            }
        } catch (IOException e) {
            LOG.debug("Peer port: accepting failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        for (Connection c : List.copyOf(connections)) {
            c.close();
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The head and body of an answer to a peer. */
    private static byte[] response(int status, String contentType, byte[] body, boolean close) {
        byte[] head = ("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: " + contentType
            + "\r\nContent-Length: " + body.length + (close ? "\r\nConnection: close" : "") + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new byte[head.length + body.length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(body, 0, whole, head.length, body.length);
        return whole;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            default -> "Error";
        };
    }

    private static byte[] refusalAnswer(int status, String code, String message, boolean close) {
        return response(status, "application/json", PeerServlet.errorBody(code, message), close);
    }

    /**
     * The answer to one request: the driver's messages once it has them, or a refusal made at once;
     * the connection closes after it where {@code close}.
     */
    private record Answer(CompletableFuture<List<Message.Peer>> messages, byte[] refusal, boolean close) {
    }

    private static final CompletableFuture<List<Message.Peer>> NO_MESSAGES = CompletableFuture.completedFuture(List.of());
    private static final byte[] OK = ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ")
        .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK_THEN_CLOSE = ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/octet-stream"
        + "\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);

    /** One peer's connection: its requests read in order, their answers written in the same order. */
    private final class Connection implements PeerChannels.Selectable {
        final SocketChannel channel;
        final PeerRequestReader reader = new PeerRequestReader();
        /** Answers in the order of their requests, each complete once the driver has answered. */
        final ArrayDeque<Answer> answers = new ArrayDeque<>();
        /** Encodes each 200's batch, after room for its head; it holds the batch until written. */
        final PeerCodec.Encoder encoder = new PeerCodec.Encoder();
        /** Decodes the peer's batches, the same header again and again. */
        final PeerCodec.Decoder decoder = new PeerCodec.Decoder();
        SelectionKey key;
        ByteBuffer unwritten;
        /** Whether the connection closes once every answer is written (a refusal that ends it, or asked). */
        boolean closing;
        boolean closed;
        /** When bytes last came (System.nanoTime). */
        long lastRead;

        Connection(SocketChannel channel, long now) {
            this.channel = channel;
            this.lastRead = now;
        }

        @Override
        public void ready(SelectionKey selected, long now) {
            try {
                if (selected.isValid() && selected.isWritable()) {
                    flush();
                }
                if (!closed && selected.isValid() && selected.isReadable()) {
                    lastRead = now;
                    read();
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("Peer port: connection dropped: {}", e.toString());
                close();
            }
        }

        private void read() throws IOException {
            received.clear();
            int n = channel.read(received);
            if (n < 0) {
                // The peer is done sending; what it asked is still answered where it can be.
                closing = true;
                flush();
                return;
            }
            received.flip();
            while (received.hasRemaining() && !closing) {
                PeerRequestReader.Request request;
                try {
                    request = reader.take(received);
                } catch (PeerRequestReader.Malformed malformed) {
                    refuse(malformed.status, "malformed_request", malformed.getMessage(), true);
                    closing = true;
                    break;
                }
                if (request == null) {
                    break;
                }
                handle(request);
            }
            flush();
        }

        private void handle(PeerRequestReader.Request request) {
            if (!request.path().equals(PeerServlet.PATH)) {
                refuse(404, "not_found", "peers POST batches to " + PeerServlet.PATH, request.closeAfter());
            } else if (!request.method().equals("POST")) {
                refuse(405, "method_not_allowed", "peers POST batches here", request.closeAfter());
            } else {
                PeerCodec.Batch batch;
                try {
                    batch = decoder.decode(request.body(), 0, request.body().length);
                } catch (IOException malformed) {
                    refuse(400, "malformed_batch", malformed.getMessage(), true);
                    closing = true;
                    return;
                }
                String refused = refusal.apply(batch.header());
                if (refused != null) {
                    refuse(409, "foreign_peer", refused, request.closeAfter());
                } else {
                    answer(new Answer(receive.apply(batch), null, request.closeAfter()));
                }
            }
            closing |= request.closeAfter();
        }

        /** Queues a refusal as the answer to the request in turn. */
        private void refuse(int status, String code, String message, boolean close) {
            answer(new Answer(NO_MESSAGES, refusalAnswer(status, code, message, close), close));
        }

        /** Queues an answer; it is written, after those before it, once complete (on the driver thread). */
        private void answer(Answer answer) {
            answers.add(answer);
            answer.messages().whenComplete((messages, failure) -> {
                try {
                    flush();
                } catch (IOException e) {
                    LOG.debug("Peer port: could not answer: {}", e.toString());
                    close();
                }
            });
        }

        /** Writes the answers that are complete, in order, as far as the socket takes them. */
        private void flush() throws IOException {
            while (!closed) {
                if (unwritten == null) {
                    Answer next = answers.peek();
                    if (next == null || !next.messages().isDone()) {
                        break;
                    }
                    unwritten = next.refusal() != null ? ByteBuffer.wrap(next.refusal()) : encode(next);
                }
                channel.write(unwritten);
                if (unwritten.hasRemaining()) {
                    break;
                }
                unwritten = null;
                answers.poll();
            }
            if (!closed && closing && answers.isEmpty()) {
                close();
                return;
            }
            interest();
        }

        /**
         * A 200 with the driver's answers (none where it failed), encoded into this connection's buffer
         * behind its head: made only now, when it is next to be written, so one buffer serves them all.
         */
        private ByteBuffer encode(Answer answer) {
            List<Message.Peer> messages = answer.messages().isCompletedExceptionally() ? List.of() : answer.messages().join();
            return encoder.message(answer.close() ? OK_THEN_CLOSE : OK, self.get(), messages);
        }

        /** Reads while few answers wait to be written; waits to write while the socket would not take more. */
        private void interest() {
            if (closed || !key.isValid()) {
                return;
            }
            int ops = (unwritten != null ? SelectionKey.OP_WRITE : 0)
                | (!closing && answers.size() < MAX_UNANSWERED ? SelectionKey.OP_READ : 0);
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            connections.remove(this);
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
