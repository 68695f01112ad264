package tansu.itests.process;

import java.util.List;
import java.util.Random;

import tansu.itests.jepsen.History;

/**
 * Faults on a schedule: every few seconds one of the chosen kinds on a random node, held a few
 * seconds, then healed. {@code pause}: SIGSTOP then SIGCONT; {@code kill}: SIGKILL then a restart
 * with its data.
 */
final class Nemesis implements Runnable {

    private final List<Node> nodes;
    private final List<String> kinds;
    private final History history;
    private final long until;
    private final Random random = new Random(42);
    volatile Throwable failure;

    Nemesis(List<Node> nodes, List<String> kinds, History history, long until) {
        this.nodes = nodes;
        this.kinds = kinds;
        this.history = history;
        this.until = until;
    }

    @Override
    public void run() {
        try {
            while (System.nanoTime() < until - 8_000_000_000L) {
                Thread.sleep(2_000 + random.nextInt(2_000));
                Node victim = nodes.get(random.nextInt(nodes.size()));
                String kind = kinds.get(random.nextInt(kinds.size()));
                history.note(kind + " " + victim.name);
                switch (kind) {
                    case "pause" -> {
                        victim.signal("STOP");
                        Thread.sleep(1_000 + random.nextInt(3_000));
                        victim.signal("CONT");
                    }
                    case "kill" -> {
                        victim.kill();
                        Thread.sleep(1_000 + random.nextInt(2_000));
                        victim.start();
                    }
                    default -> throw new IllegalArgumentException("unknown nemesis " + kind);
                }
                history.note("healed " + victim.name);
            }
        } catch (Throwable e) {
            failure = e;
        }
    }
}
