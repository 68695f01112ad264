package tansu.raft.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * Many seeded runs of {@link Simulation}: a hostile phase (loss, duplication, reordering, partitions,
 * crashes, compaction) checked for safety at every step, then a calm phase that must bring every node
 * to the same applied state; then the clients' writes and linearizable reads of registers are
 * checked for linearizability. {@code -Dtansu.sim.seeds=N} runs more seeds; {@code -Dtansu.sim.seed=S}
 * replays one.
 */
public class SimulationTest {

    private static final int SEEDS = Integer.getInteger("tansu.sim.seeds", 200);
    private static final long ONE_SEED = Long.getLong("tansu.sim.seed", -1);

    private static void run(long seed, int size) {
        Simulation sim = new Simulation(seed, size, Simulation.Faults.HOSTILE);
        try {
            for (int i = 0; i < 4000; i++) {
                sim.step();
            }
            sim.heal();
            Simulation calm = sim;
            long before = calm.maxApplied();
            for (int i = 0; i < 3000; i++) {
                calm.step();
            }
            // Liveness once the faults stop: a leader, progress, and (clients gone quiet) every node caught up.
            calm.proposing = false;
            for (int i = 0; i < 100_000 && (calm.leader() == null || calm.minApplied() < calm.maxApplied()); i++) {
                calm.step();
            }
            assertNotNull("a leader after healing", calm.leader());
            assertTrue("progress after healing", calm.maxApplied() > before);
            assertEquals("every node applied everything", calm.maxApplied(), calm.minApplied());
            long t0 = System.nanoTime();
            String register = sim.checkLinearizable();
            if (System.getProperty("tansu.sim.trace") != null) {
                System.out.println("seed " + seed + ": " + sim.history.size() + " ops, unknown " + sim.history.stream()
                    .filter(c -> c.complete == Linearizability.UNKNOWN).count() + ", checked in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
            if (register != null) {
                throw new AssertionError("the history of register " + register + " is not linearizable");
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (" + size + " nodes) failed at step " + sim.steps
                + "; replay with -Dtansu.sim.seed=" + seed + ": " + e.getMessage() + sim.describe(), e);
        }
    }

    @Test
    public void raftStaysSafeAndLiveUnderFaults() {
        if (ONE_SEED >= 0) {
            run(ONE_SEED, 3 + (int) (ONE_SEED % 3));
            return;
        }
        long steps = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            run(seed, 3 + (int) (seed % 3));
            steps += 7000;
        }
        System.out.println("simulation: " + SEEDS + " seeds, at least " + steps + " steps, no violation");
    }
}
