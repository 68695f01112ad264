package tansu.raft.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import tansu.raft.core.Message;

/** Where the peer servlet hands what other nodes send: the node's driver. Internal to this bundle. */
public interface PeerInbox {

    /** This node as it describes itself to peers. */
    PeerCodec.Header self();

    /** Why a batch from {@code header} is refused (another cluster, another environment), or {@code null}. */
    String refusal(PeerCodec.Header header);

    /** Hands over a batch; completes with the messages to answer its sender with in the response. */
    CompletableFuture<List<Message.Peer>> receive(PeerCodec.Batch batch);

    /** The peer port of this node's driver ({@link PeerServer}), or 0 where it has none. */
    int peerPort();

    /** Switches the transport's injected faults (tests only). */
    void faults(TransportFaults faults);
}
