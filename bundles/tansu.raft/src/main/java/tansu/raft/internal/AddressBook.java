package tansu.raft.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import tansu.api.NodeStatus;

/** Where each known node answers, and what it said of itself last: learned from every batch and answer. */
final class AddressBook {

    /** A node as it last described itself. */
    record Entry(String id, String host, int port, String cluster, String env, Founding.Stance stance) {
    }

    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> seen = new ConcurrentHashMap<>();

    void learn(PeerCodec.Header header) {
        // Where the sender says other members answer: kept only for nodes not heard from themselves.
        header.members().forEach((id, address) -> {
            // Every batch carries them: parse only what is new.
            if (!byId.containsKey(id)) {
                int colon = address.lastIndexOf(':');
                remember(id, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
            }
        });
        if (!header.node().isEmpty()) {
            Entry known = byId.get(header.node());
            // Every batch and answer says it, mostly the same again: the entry stays the same object.
            if (known == null || known.port() != header.port() || !known.host().equals(header.host())
                || !known.cluster().equals(header.cluster()) || !known.env().equals(header.env())
                || !known.stance().equals(header.stance())) {
                byId.put(header.node(), new Entry(header.node(), header.host(), header.port(), header.cluster(), header.env(),
                    header.stance()));
            }
            seen.computeIfAbsent(header.node(), id -> new AtomicLong()).set(System.nanoTime());
        }
    }

    /** Where a member answered before this node restarted; not heard from yet. */
    void remember(String id, String host, int port) {
        byId.putIfAbsent(id, new Entry(id, host, port, "", "", Founding.Stance.NONE));
    }

    /** Nodes of {@code env} heard from within {@code nanos}, in a cluster or not. */
    java.util.List<Entry> recent(String env, long nanos) {
        long now = System.nanoTime();
        java.util.List<Entry> recent = new java.util.ArrayList<>();
        for (Entry e : new TreeMap<>(byId).values()) {
            if (e.env().equals(env) && now - lastHeard(e.id()) < nanos) {
                recent.add(e);
            }
        }
        return recent;
    }

    /** When {@code id} was last heard from (System.nanoTime), or long ago. */
    long lastHeard(String id) {
        AtomicLong heard = seen.get(id);
        return heard == null ? Long.MIN_VALUE / 2 : heard.get();
    }

    Entry get(String id) {
        return byId.get(id);
    }


    /** The addresses of {@code ids}, those known. */
    Map<String, NodeStatus.Peer> addresses(Iterable<String> ids) {
        Map<String, NodeStatus.Peer> peers = new TreeMap<>();
        for (String id : ids) {
            Entry e = byId.get(id);
            if (e != null) {
                peers.put(id, new NodeStatus.Peer(e.host(), e.port()));
            }
        }
        return peers;
    }
}
