package tansu.raft.core;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;
import tansu.api.storage.Snapshot;

/**
 * A cluster of cores over an in-memory network, driven by one seeded random scheduler: messages are
 * delivered in random order, dropped, duplicated and cut by partitions; nodes tick, take proposals,
 * compact their logs, crash (losing all but what they persisted) and restart. After every step the
 * safety properties of Raft are checked. The same seed replays the same run exactly.
 */
final class Simulation {

    /** How hostile the world is. */
    record Faults(double drop, double duplicate, double crash, double partition, double compact) {
        static final Faults CALM = new Faults(0, 0, 0, 0, 0);
        static final Faults HOSTILE = new Faults(0.05, 0.02, 0.002, 0.004, 0.01);
    }

    final long seed;
    final Random random;
    Faults faults;
    final List<String> ids = new ArrayList<>();
    final Map<String, Node> nodes = new TreeMap<>();
    private final List<Message.Peer> network = new ArrayList<>();
    private final Set<String> cut = new HashSet<>();
    /** The leader of each term that had one: election safety says there is at most one. */
    private final Map<Long, String> leaders = new HashMap<>();
    /** What every node must have applied at each index: state machine safety. */
    private final Map<Long, Long> appliedDigest = new HashMap<>();
    /** Entries known committed (applied somewhere), by index: leader completeness. */
    private final Map<Long, LogEntry> committed = new HashMap<>();
    /**
     * For each committed index, a term by which it was surely committed (the highest term any node had
     * when it was first applied): every leader of a later term must hold it (leader completeness).
     */
    private final Map<Long, Long> committedBy = new HashMap<>();
    long steps;
    long proposals;
    private long readContexts;
    /** The highest log index of a write a client has seen complete. */
    private long maxCompletedIndex;

    /** A client operation on a register, as the client saw it: when it asked and when it heard back. */
    static final class Client {
        final int key;
        final boolean write;
        long value;
        final long invoke;
        long complete = Linearizability.UNKNOWN;
        /** A read: the highest log index of a write completed before it began; it must see a state that far. */
        long floor;

        Client(int key, boolean write, long value, long invoke) {
            this.key = key;
            this.write = write;
            this.value = value;
            this.invoke = invoke;
        }

        Linearizability.Op op() {
            return new Linearizability.Op("k" + key, write, value, invoke, complete);
        }
    }

    final List<Client> history = new ArrayList<>();
    private final Map<String, Client> writesAwaitingApply = new HashMap<>();
    /** Clients propose; switched off to let the cluster settle. */
    boolean proposing = true;

    /** One node: its core, and what survives a crash (its disk). */
    final class Node {
        final String id;
        RaftCore core;
        boolean up = true;
        HardState hardState = HardState.EMPTY;
        Snapshot snapshot;
        /** A snapshot of this node's own state taken but not on disk yet. */
        Snapshot taken;
        final List<LogEntry> disk = new ArrayList<>();
        long applied;
        /** A digest of everything applied: the state of this node's state machine. */
        long digest;
        /** The registers the commands write: the state clients read. */
        final Map<Integer, Long> registers = new TreeMap<>();
        /** Reads waiting for their read index, then for the node to apply up to it. */
        final Map<Long, Client> readsAwaitingIndex = new HashMap<>();
        final TreeMap<Long, List<Client>> readsAwaitingApply = new TreeMap<>();

        Node(String id, List<String> voters) {
            this.id = id;
            if (!voters.isEmpty()) {
                LogEntry first = new LogEntry(1, 1, 0, LogEntry.Type.CONFIGURATION, "", "", 0,
                    new Configuration(voters, List.of()).encode());
                disk.add(first);
                hardState = new HardState(1, null, 1);
            }
            boot();
        }

        void boot() {
            core = new RaftCore(id, new RaftConfig(10, 2, random.nextLong()), hardState, snapshot, disk);
            restore(snapshot);
        }

        void restore(Snapshot s) {
            registers.clear();
            applied = s == null ? 0 : s.index();
            digest = 0;
            if (s != null) {
                ByteBuffer b = ByteBuffer.wrap(s.data());
                digest = b.getLong();
                while (b.hasRemaining()) {
                    registers.put(b.getInt(), b.getLong());
                }
            }
        }

        byte[] state() {
            ByteBuffer b = ByteBuffer.allocate(8 + registers.size() * 12).putLong(digest);
            registers.forEach((k, v) -> b.putInt(k).putLong(v));
            return b.array();
        }

        /** Persists, sends and applies until the core has nothing more; a crash may cut it short. */
        void drive(boolean crashMidway) {
            while (up && core.hasReady()) {
                Ready ready = core.ready();
                if (ready.snapshot() != null) {
                    snapshot = ready.snapshot();
                    disk.clear();
                    restore(snapshot);
                    checkDigest(id, applied, digest);
                }
                // As the driver does: a leader's appends leave before its own write of them.
                List<Message.Peer> early = ready.beforeSync();
                network.addAll(early);
                if (crashMidway && ready.earlySends() && steps % 2 == 0) {
                    // Sent, but died before its own copy was on disk.
                    crash();
                    return;
                }
                HardState latest = ready.hardState();
                // As the driver does: a commit index that alone moved is stored only now and then.
                if (latest != null && (latest.term() != hardState.term()
                        || !Objects.equals(latest.vote(), hardState.vote()) || random.nextInt(4) == 0)) {
                    hardState = latest;
                }
                Disk.append(disk, ready.entries());
                if (crashMidway) {
                    // Persisted, but died before sending or applying anything of this batch.
                    crash();
                    return;
                }
                network.addAll(ready.afterSync());
                for (LogEntry e : ready.committed()) {
                    apply(e);
                }
                for (ReadState rs : ready.readStates()) {
                    Client read = readsAwaitingIndex.remove(rs.context());
                    if (read != null) {
                        readsAwaitingApply.computeIfAbsent(rs.index(), i -> new ArrayList<>()).add(read);
                    }
                }
                answerReads();
                core.advance(ready);
            }
        }

        void apply(LogEntry e) {
            if (e.index() != applied + 1) {
                throw new AssertionError(id + " applies " + e.index() + " after " + applied);
            }
            LogEntry known = committed.putIfAbsent(e.index(), e);
            if (known == null) {
                committedBy.put(e.index(), nodes.values().stream().mapToLong(n -> n.core.term()).max().orElse(0));
            }
            if (known != null && !sameEntry(known, e)) {
                throw new AssertionError(id + " applies " + e + " where " + known + " was applied");
            }
            applied = e.index();
            digest = digest * 31 + e.term() * 7 + java.util.Arrays.hashCode(e.data()) + e.index();
            checkDigest(id, applied, digest);
            if (e.type() == LogEntry.Type.COMMAND) {
                ByteBuffer command = ByteBuffer.wrap(e.data());
                registers.put(command.getInt(), command.getLong());
                Client write = e.origin().equals(id) ? writesAwaitingApply.remove(id + "/" + e.requestId()) : null;
                if (write != null) {
                    write.complete = steps;
                    maxCompletedIndex = Math.max(maxCompletedIndex, e.index());
                }
            }
        }

        private void answerReads() {
            while (!readsAwaitingApply.isEmpty() && readsAwaitingApply.firstKey() <= applied) {
                for (Client read : readsAwaitingApply.pollFirstEntry().getValue()) {
                    // Cheaper and sharper than the register check: a stale read shows here at once.
                    if (applied < read.floor) {
                        throw new AssertionError(id + " answers a read with its state at " + applied
                            + ", before index " + read.floor + " of a write that completed before the read began");
                    }
                    read.value = registers.getOrDefault(read.key, 0L);
                    read.complete = steps;
                }
            }
        }

        /**
         * Takes a snapshot, or stores the one taken: as the driver does, which stores it off its thread
         * while the log goes on, so that a leader's snapshot or a crash can come in between.
         */
        void compact() {
            if (taken != null) {
                store(taken);
                core.compact(taken);
                taken = null;
                return;
            }
            if (applied <= (snapshot == null ? 0 : snapshot.index())) {
                return;
            }
            Configuration at = core.configurationAt(applied);
            taken = new Snapshot(applied, core.termAt(applied), at.voters(), at.learners(), state());
        }

        /** The disk keeps the newest snapshot: an own one older than a leader's installed meanwhile is not stored. */
        private void store(Snapshot s) {
            if (snapshot == null || s.index() > snapshot.index()) {
                snapshot = s;
                disk.removeIf(e -> e.index() <= s.index());
            }
        }

        void crash() {
            up = false;
            if (taken != null && random.nextBoolean()) {
                // It reached the disk; the core never heard.
                store(taken);
            }
            taken = null;
            // Its clients never hear back: what they asked stays of unknown outcome.
            readsAwaitingIndex.clear();
            readsAwaitingApply.clear();
            writesAwaitingApply.keySet().removeIf(k -> k.startsWith(id + "/"));
        }

        void restart() {
            up = true;
            boot();
        }
    }

    Simulation(long seed, int size, Faults faults) {
        this.seed = seed;
        this.random = new Random(seed);
        this.faults = faults;
        for (int i = 1; i <= size; i++) {
            ids.add("n" + i);
        }
        for (String id : ids) {
            nodes.put(id, new Node(id, ids));
        }
    }

    private static boolean sameEntry(LogEntry a, LogEntry b) {
        return a.index() == b.index() && a.term() == b.term() && a.type() == b.type()
            && java.util.Arrays.equals(a.data(), b.data());
    }

    private void checkDigest(String node, long index, long digest) {
        Long expected = appliedDigest.putIfAbsent(index, digest);
        if (expected != null && expected != digest) {
            throw new AssertionError(node + " has state " + digest + " at " + index + " where others have " + expected);
        }
    }

    private boolean connected(String a, String b) {
        return !cut.contains(a) && !cut.contains(b) || cut.contains(a) && cut.contains(b);
    }

    /** One random event, then every node processes its output, then the invariants are checked. */
    void step() {
        steps++;
        double roll = random.nextDouble();
        if (roll < 0.6 && !network.isEmpty()) {
            deliver();
        } else if (roll < 0.75) {
            Node n = randomNode();
            if (n.up) {
                n.core.tick();
            }
        } else if (roll < 0.85) {
            propose(randomNode());
        } else if (roll < 0.87) {
            read(randomNode());
        } else if (roll < 0.87 + faults.compact()) {
            Node n = randomNode();
            if (n.up) {
                n.compact();
            }
        } else if (roll < 0.87 + faults.compact() + faults.crash()) {
            Node n = randomNode();
            if (n.up) {
                n.drive(random.nextBoolean());
                n.crash();
            } else {
                n.restart();
            }
        } else if (roll < 0.87 + faults.compact() + faults.crash() + faults.partition()) {
            repartition();
        } else {
            Node n = randomNode();
            if (!n.up) {
                n.restart();
            }
        }
        for (Node n : nodes.values()) {
            // Now and then a node dies halfway through a batch: between what it sends and what it writes.
            n.drive(n.up && n.core.hasReady() && random.nextDouble() < faults.crash());
        }
        checkInvariants();
    }

    private Node randomNode() {
        return nodes.get(ids.get(random.nextInt(ids.size())));
    }

    /**
     * Delivers one of the oldest few messages: reordering within a bounded window, so that the
     * network's delay stays below the election timeout as in any cluster that can elect a leader.
     */
    private void deliver() {
        Message.Peer m = network.remove(random.nextInt(Math.min(network.size(), 8)));
        if (random.nextDouble() < faults.drop() || !connected(m.from(), m.to())) {
            return;
        }
        if (random.nextDouble() < faults.duplicate()) {
            network.add(m);
        }
        Node to = nodes.get(m.to());
        if (to != null && to.up) {
            to.core.step(m);
        }
    }

    /** A client writes a fresh value to a register through node {@code n}. */
    void propose(Node n) {
        if (!n.up || !proposing) {
            return;
        }
        long p = ++proposals;
        int key = random.nextInt(REGISTERS);
        byte[] data = ByteBuffer.allocate(12).putInt(key).putLong(p).array();
        Client write = new Client(key, true, p, steps);
        try {
            n.core.step(new Message.Propose(List.of(new Proposal("kv", n.id, p, data, steps))));
            history.add(write);
            writesAwaitingApply.put(n.id + "/" + p, write);
        } catch (ProposalDroppedException dropped) {
            // Refused (a 503): it certainly did not happen.
        }
    }

    /** A client reads a register through node {@code n}, linearizably (read index). */
    void read(Node n) {
        if (!n.up) {
            return;
        }
        long context = ++readContexts;
        Client read = new Client(random.nextInt(REGISTERS), false, 0, steps);
        read.floor = maxCompletedIndex;
        try {
            n.core.step(new Message.ReadIndex(context));
            history.add(read);
            n.readsAwaitingIndex.put(context, read);
        } catch (ProposalDroppedException noLeader) {
            // Refused: no answer to check.
        }
    }

    /** Enough registers that each one's history stays small for the checker. */
    private static final int REGISTERS = 64;

    /** Answers the first register whose history has no linearization, or null. */
    String checkLinearizable() {
        List<Linearizability.Op> ops = new ArrayList<>();
        for (Client c : history) {
            ops.add(c.op());
        }
        return Linearizability.check(ops);
    }

    private void repartition() {
        cut.clear();
        if (random.nextBoolean()) {
            for (String id : ids) {
                if (random.nextInt(3) == 0) {
                    cut.add(id);
                }
            }
        }
    }

    /** Heals every fault and runs until the cluster is quiet. */
    void heal() {
        faults = Faults.CALM;
        cut.clear();
        for (Node n : nodes.values()) {
            if (!n.up) {
                n.restart();
            }
        }
    }

    private void checkInvariants() {
        for (Node n : nodes.values()) {
            if (n.up && n.core.role() == Role.LEADER) {
                String other = leaders.putIfAbsent(n.core.term(), n.id);
                if (other != null && !other.equals(n.id)) {
                    throw new AssertionError("two leaders in term " + n.core.term() + ": " + other + " and " + n.id);
                }
                if (other == null) {
                    checkLeaderCompleteness(n);
                }
            }
        }
        if (steps % 50 == 0) {
            checkLogMatching();
        }
    }

    /** A new leader holds every entry committed before its term (paper 5.4.1), where not compacted. */
    private void checkLeaderCompleteness(Node n) {
        for (Map.Entry<Long, LogEntry> c : committed.entrySet()) {
            long i = c.getKey();
            if (committedBy.get(i) >= n.core.term() || i <= (n.snapshot == null ? 0 : n.snapshot.index())) {
                continue;
            }
            List<LogEntry> mine = n.core.entries(i, i);
            if (mine.isEmpty() || !sameEntry(c.getValue(), mine.get(0))) {
                throw new AssertionError("leader " + n.id + " of term " + n.core.term() + " lacks committed " + c.getValue());
            }
        }
    }

    /** If two logs have an entry of the same index and term, they are identical up to it. */
    private void checkLogMatching() {
        List<Node> up = nodes.values().stream().filter(n -> n.up).toList();
        for (int a = 0; a < up.size(); a++) {
            for (int b = a + 1; b < up.size(); b++) {
                RaftCore x = up.get(a).core;
                RaftCore y = up.get(b).core;
                long last = Math.min(x.lastIndex(), y.lastIndex());
                boolean matched = false;
                for (long i = last; i >= 1; i--) {
                    List<LogEntry> ex = x.entries(i, i);
                    List<LogEntry> ey = y.entries(i, i);
                    if (ex.isEmpty() || ey.isEmpty()) {
                        break;
                    }
                    if (!matched && ex.get(0).term() == ey.get(0).term()) {
                        matched = true;
                    }
                    if (matched && !sameEntry(ex.get(0), ey.get(0))) {
                        throw new AssertionError("logs of " + up.get(a).id + " and " + up.get(b).id + " differ at " + i
                            + " below a matching entry");
                    }
                }
            }
        }
    }

    /** Each node's state, for the message of a failed run. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (Node n : nodes.values()) {
            b.append(String.format("%n  %s %s %s term=%d commit=%d last=%d applied=%d snapshot=%d leader=%s progress=%s",
                n.id, n.up ? "up" : "down", n.core.role(), n.core.term(), n.core.commitIndex(), n.core.lastIndex(),
                n.applied, n.snapshot == null ? 0 : n.snapshot.index(), n.core.leader(), n.core.progressView()));
        }
        return b.append(String.format("%n  in flight: %d", network.size())).toString();
    }

    long maxApplied() {
        return nodes.values().stream().mapToLong(n -> n.applied).max().orElse(0);
    }

    long minApplied() {
        return nodes.values().stream().mapToLong(n -> n.applied).min().orElse(0);
    }

    String leader() {
        return nodes.values().stream().filter(n -> n.up && n.core.role() == Role.LEADER).map(n -> n.id).findFirst()
            .orElse(null);
    }
}
