package tansu.raft.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;
import tansu.api.storage.Snapshot;

/**
 * Cores wired by hand for scenario tests: messages wait in a FIFO queue until a test delivers them,
 * and a node can be cut off, as in etcd's interaction tests.
 */
final class Cluster {

    /** A node's core and what it persisted and applied. */
    static final class Node {
        final String id;
        RaftCore core;
        HardState hardState;
        Snapshot snapshot;
        final List<LogEntry> disk = new ArrayList<>();
        final List<LogEntry> applied = new ArrayList<>();
        final List<ReadState> readStates = new ArrayList<>();

        Node(String id) {
            this.id = id;
        }
    }

    final RaftConfig config;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    final List<Message.Peer> queue = new ArrayList<>();
    final Set<String> isolated = new HashSet<>();

    Cluster(RaftConfig config) {
        this.config = config;
    }

    /** n1..nN, each with the configuration of all of them at index 1. */
    static Cluster of(int size, RaftConfig config) {
        Cluster c = new Cluster(config);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add("n" + i);
        }
        for (String id : ids) {
            c.add(id, new HardState(1, null, 1), List.of(configurationEntry(ids)));
        }
        return c;
    }

    static LogEntry configurationEntry(List<String> voters) {
        return new LogEntry(1, 1, 0, LogEntry.Type.CONFIGURATION, "", "", 0, new Configuration(voters, List.of()).encode());
    }

    /** An entry of {@code term} at {@code index} carrying {@code text}. */
    static LogEntry entry(long index, long term, String text) {
        return new LogEntry(index, term, 0, LogEntry.Type.COMMAND, "kv", "test", index, text.getBytes());
    }

    Node add(String id, HardState hardState, List<LogEntry> log) {
        Node n = new Node(id);
        n.hardState = hardState;
        n.disk.addAll(log);
        n.core = new RaftCore(id, config, hardState, null, log);
        nodes.put(id, n);
        return n;
    }

    Node node(String id) {
        return nodes.get(id);
    }

    RaftCore core(String id) {
        return nodes.get(id).core;
    }

    /** Persists and applies every node's ready batches; their messages join the queue. */
    void process() {
        for (Node n : nodes.values()) {
            while (n.core.hasReady()) {
                Ready ready = n.core.ready();
                if (ready.snapshot() != null) {
                    n.snapshot = ready.snapshot();
                    n.disk.clear();
                }
                if (ready.hardState() != null) {
                    n.hardState = ready.hardState();
                }
                Disk.append(n.disk, ready.entries());
                queue.addAll(ready.messages());
                n.applied.addAll(ready.committed());
                n.readStates.addAll(ready.readStates());
                n.core.advance(ready);
            }
        }
    }

    /** Delivers queued messages (dropping those to or from a cut-off node) until none is left. */
    void stabilize() {
        deliverWhile(m -> true);
    }

    /** Delivers, until the queue is empty, the messages {@code which} accepts; others are dropped. */
    void deliverWhile(Predicate<Message.Peer> which) {
        process();
        for (int i = 0; i < 100_000 && !queue.isEmpty(); i++) {
            Message.Peer m = queue.remove(0);
            if (which.test(m) && !isolated.contains(m.from()) && !isolated.contains(m.to())) {
                core(m.to()).step(m);
            }
            process();
        }
    }

    /** Steps a local message into a node and processes the result. */
    void step(String id, Message m) {
        core(id).step(m);
        process();
    }

    void campaign(String id) {
        step(id, new Message.Hup());
        stabilize();
    }

    void propose(String id, String text) {
        step(id, new Message.Propose(List.of(new Proposal("kv", id, text.hashCode(), text.getBytes(), 0))));
        stabilize();
    }

    /** Ticks one node {@code ticks} times, delivering what follows each tick. */
    void tick(String id, int ticks) {
        for (int i = 0; i < ticks; i++) {
            core(id).tick();
            stabilize();
        }
    }

    /** Ticks every node, once each, {@code ticks} times. */
    void tickAll(int ticks) {
        for (int i = 0; i < ticks; i++) {
            for (Node n : nodes.values()) {
                n.core.tick();
            }
            stabilize();
        }
    }

    String leader() {
        return nodes.values().stream().filter(n -> n.core.role() == Role.LEADER && !isolated.contains(n.id))
            .map(n -> n.id).findFirst().orElse(null);
    }

    List<Long> terms(RaftCore core) {
        List<Long> terms = new ArrayList<>();
        for (LogEntry e : core.entries(1, core.lastIndex())) {
            terms.add(e.term());
        }
        return terms;
    }
}
