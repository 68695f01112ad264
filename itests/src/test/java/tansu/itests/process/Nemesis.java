package tansu.itests.process;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import tansu.itests.jepsen.History;
import tansu.itests.jepsen.LockChecker;

/**
 * Faults on a schedule: every few seconds one of the chosen kinds, held a few seconds, then healed.
 * <ul>
 * <li>{@code pause}: SIGSTOP then SIGCONT of a node;
 * <li>{@code kill}: SIGKILL, then a restart with its data;
 * <li>{@code partition}: halves (a minority cut from a majority), the leader isolated, or a bridge
 * (two sides that only one node in the middle hears both of);
 * <li>{@code loss}: every node drops 10-50 % of what it sends its peers; {@code delay}: holds each
 * batch 20-200 ms;
 * <li>{@code restart}: every node killed at once, then all started again;
 * <li>{@code member}: a member removed over HTTP and added back, or leadership handed to another voter.
 * </ul>
 */
final class Nemesis implements Runnable {

    static final List<String> ALL = List.of("pause", "kill", "partition", "loss", "delay", "restart", "member");

    private final List<Node> nodes;
    private final Map<Node, String> ids;
    private final Faults faults;
    private final List<String> kinds;
    private final History history;
    private final long until;
    private final Random random;
    private final List<LockChecker.Pause> pauses = new ArrayList<>();
    volatile Throwable failure;

    /** @param seed the schedule's: the same seed, the same faults in the same order (their timing varies) */
    Nemesis(List<Node> nodes, Map<Node, String> ids, Faults faults, List<String> kinds, History history, long until, long seed) {
        this.random = new Random(seed);
        this.nodes = nodes;
        this.ids = ids;
        this.faults = faults;
        this.kinds = kinds;
        this.history = history;
        this.until = until;
        for (String k : kinds) {
            if (!ALL.contains(k)) {
                throw new IllegalArgumentException("unknown nemesis " + k + "; known: " + ALL);
            }
        }
    }

    @Override
    public void run() {
        try {
            while (System.nanoTime() < until - 10_000_000_000L) {
                Thread.sleep(2_000 + random.nextInt(2_000));
                String kind = kinds.get(random.nextInt(kinds.size()));
                switch (kind) {
                    case "pause" -> pause();
                    case "kill" -> kill();
                    case "partition" -> partition();
                    case "loss" -> degrade(0.1 + random.nextInt(5) * 0.1, 0);
                    case "delay" -> degrade(0, 20 + random.nextInt(180));
                    case "restart" -> restartAll();
                    case "member" -> membership();
                    default -> throw new IllegalStateException(kind);
                }
            }
        } catch (Throwable e) {
            failure = e;
            history.note("nemesis failed: " + e);
        }
    }

    private Node victim() {
        return nodes.get(random.nextInt(nodes.size()));
    }

    private void pause() throws Exception {
        Node victim = victim();
        history.note("pause " + victim.name);
        long from = System.nanoTime();
        victim.signal("STOP");
        Thread.sleep(1_000 + random.nextInt(3_000));
        victim.signal("CONT");
        synchronized (this) {
            pauses.add(new LockChecker.Pause(victim.name, from, System.nanoTime()));
        }
        history.note("healed " + victim.name);
    }

    private void kill() throws Exception {
        Node victim = victim();
        history.note("kill " + victim.name);
        victim.kill();
        Thread.sleep(1_000 + random.nextInt(2_000));
        victim.start();
        history.note("healed " + victim.name);
    }

    private void partition() throws Exception {
        List<Node> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, random);
        int half = nodes.size() / 2;
        String how;
        switch (random.nextInt(3)) {
            case 0 -> {
                how = "halves";
                faults.partition(List.of(shuffled.subList(0, half), shuffled.subList(half, nodes.size())));
            }
            case 1 -> {
                Node leader = leader();
                how = "leader " + (leader == null ? "(none: halves)" : leader.name);
                if (leader != null) {
                    shuffled.remove(leader);
                    shuffled.add(0, leader);
                    faults.partition(List.of(shuffled.subList(0, 1), shuffled.subList(1, nodes.size())));
                } else {
                    faults.partition(List.of(shuffled.subList(0, half), shuffled.subList(half, nodes.size())));
                }
            }
            default -> {
                // The node at index half hears both sides; the sides do not hear each other.
                how = "bridge " + shuffled.get(half).name;
                faults.partition(List.of(shuffled.subList(0, half), shuffled.subList(half + 1, nodes.size())));
            }
        }
        history.note("partition " + how + " " + shuffled.stream().map(n -> n.name).toList());
        Thread.sleep(3_000 + random.nextInt(5_000));
        faults.heal();
        history.note("healed partition");
    }

    private void degrade(double drop, long delayMs) throws Exception {
        history.note("degrade drop=" + drop + " delay.ms=" + delayMs);
        faults.degrade(drop, delayMs);
        Thread.sleep(3_000 + random.nextInt(5_000));
        faults.degrade(0, 0);
        history.note("healed degrade");
    }

    private void restartAll() throws Exception {
        history.note("restart all");
        for (Node n : nodes) {
            n.kill();
        }
        Thread.sleep(500 + random.nextInt(1_500));
        List<Long> launched = new ArrayList<>();
        for (Node n : nodes) {
            launched.add(n.launch());
        }
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).awaitServing(launched.get(i));
        }
        history.note("healed restart all");
    }

    private void membership() throws Exception {
        Node victim = victim();
        String id = ids.get(victim);
        if (random.nextInt(3) == 0 && victim != leader()) {
            history.note("transfer leadership to " + victim.name);
            steer(victim, "POST", "/api/cluster/leader", "id=" + id);
            Thread.sleep(2_000);
            history.note("healed transfer");
            return;
        }
        history.note("remove " + victim.name);
        steer(victim, "DELETE", "/api/cluster/members/" + id, "");
        Probe.await(victim.name + " removed", Duration.ofSeconds(30), () -> {
            List<String> members = members();
            return members != null && !members.contains(id);
        });
        Thread.sleep(2_000 + random.nextInt(3_000));
        history.note("add " + victim.name);
        steer(victim, "POST", "/api/cluster/members", "address=" + victim.address());
        Probe.await(victim.name + " a voter again", Duration.ofSeconds(60), () -> {
            List<String> voters = voters();
            return voters != null && voters.contains(id);
        });
        history.note("healed membership");
    }

    /** Sends a membership request through a node other than {@code victim} until one takes it (202). */
    private void steer(Node victim, String method, String path, String form) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            for (Node via : nodes) {
                if (via == victim) {
                    continue;
                }
                try {
                    HttpResponse<String> r = Node.Http.form(via, method, path, form);
                    if (r.statusCode() == 202) {
                        return;
                    }
                    last = r.statusCode() + " " + r.body();
                } catch (Exception unanswered) {
                    last = unanswered.toString();
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(method + " " + path + " " + form + " not taken within 30 s: " + last);
    }

    private Node leader() {
        for (Node n : nodes) {
            String leader = Probe.cluster(n).path("leader").asText("");
            for (Node candidate : nodes) {
                if (ids.get(candidate).equals(leader)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** The ids of the members the leader names; null while there is none. */
    private List<String> members() {
        return roles(false);
    }

    private List<String> voters() {
        return roles(true);
    }

    private List<String> roles(boolean votersOnly) {
        Node leader = leader();
        if (leader == null) {
            return null;
        }
        List<String> found = new ArrayList<>();
        for (var m : Probe.cluster(leader).path("members")) {
            if (!votersOnly || "voter".equals(m.path("role").asText())) {
                found.add(m.path("id").asText());
            }
        }
        return found;
    }

    synchronized List<LockChecker.Pause> pauses() {
        return List.copyOf(pauses);
    }
}
