package tansu.raft.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;
import tansu.api.storage.Snapshot;

/**
 * A group of one voter, driven by hand as the driver would: every ready batch is "persisted" into an
 * in-memory log and acknowledged.
 */
public class SingleVoterTest {

    private static final RaftConfig CONFIG = new RaftConfig(10, 2, 42);

    private final List<LogEntry> disk = new ArrayList<>();
    private final List<LogEntry> applied = new ArrayList<>();
    private HardState hardState = HardState.EMPTY;

    private static LogEntry configuration(String... voters) {
        return new LogEntry(1, 1, 0, LogEntry.Type.CONFIGURATION, "", "", 0, new Configuration(List.of(voters), List.of()).encode());
    }

    private static Proposal proposal(String text, long timestamp) {
        return new Proposal("kv", "n1", text.hashCode(), text.getBytes(), timestamp);
    }

    private RaftCore bootstrapped() {
        disk.add(configuration("n1"));
        hardState = new HardState(1, null, 1);
        return restart(null);
    }

    private RaftCore restart(Snapshot snapshot) {
        applied.clear();
        return new RaftCore("n1", CONFIG, hardState, snapshot, disk);
    }

    /** Does what a driver does until the core has nothing more to say; answers the ready batches seen. */
    private List<Ready> drive(RaftCore core) {
        List<Ready> seen = new ArrayList<>();
        while (core.hasReady()) {
            Ready ready = core.ready();
            seen.add(ready);
            if (ready.hardState() != null) {
                hardState = ready.hardState();
            }
            Disk.append(disk, ready.entries());
            applied.addAll(ready.committed());
            core.advance(ready);
        }
        return seen;
    }

    @Test
    public void aSoleVoterElectsItselfAtOnceAndCommitsANoopOfItsTerm() {
        RaftCore core = bootstrapped();
        core.step(new Message.Hup());

        assertEquals(Role.LEADER, core.role());
        assertEquals(2, core.term());
        assertEquals("n1", core.leader());
        drive(core);
        assertEquals(2, core.commitIndex());
        assertEquals(LogEntry.Type.NOOP, disk.get(1).type());
        assertEquals(2, disk.get(1).term());
        assertEquals(List.of(1L, 2L), applied.stream().map(LogEntry::index).toList());
    }

    @Test
    public void aSoleVoterAlsoElectsItselfWhenItsElectionTimeoutPasses() {
        RaftCore core = bootstrapped();
        for (int i = 0; i < 2 * CONFIG.electionTicks() && core.role() != Role.LEADER; i++) {
            core.tick();
        }
        assertEquals(Role.LEADER, core.role());
    }

    @Test
    public void proposalsAreAppliedOnlyAfterTheyArePersisted() {
        RaftCore core = bootstrapped();
        core.step(new Message.Hup());
        drive(core);
        core.step(new Message.Propose(List.of(proposal("a", 111), proposal("b", 222))));

        Ready first = core.ready();
        assertEquals(2, first.entries().size());
        assertTrue("nothing is committed before it is durable", first.committed().isEmpty());
        assertTrue(first.mustSync());
        assertEquals(111, first.entries().get(0).timestamp());
        hardState = first.hardState() == null ? hardState : first.hardState();
        disk.addAll(first.entries());
        core.advance(first);

        Ready second = core.ready();
        assertEquals(List.of(3L, 4L), second.committed().stream().map(LogEntry::index).toList());
        assertTrue(second.entries().isEmpty());
        assertFalse("a commit index alone needs no fsync", second.mustSync());
        core.advance(second);
        assertFalse(core.hasReady());
    }

    @Test
    public void proposalsArrivingTogetherArePersistedInOneBatch() {
        RaftCore core = bootstrapped();
        core.step(new Message.Hup());
        drive(core);
        for (int i = 0; i < 50; i++) {
            core.step(new Message.Propose(List.of(proposal("p" + i, i))));
        }
        List<Ready> readies = drive(core);
        assertEquals(50, readies.get(0).entries().size());
        assertEquals(52, core.commitIndex());
    }

    @Test
    public void aFollowerWithoutLeaderDropsProposalsAndReads() {
        RaftCore core = new RaftCore("n1", CONFIG, HardState.EMPTY, null, List.of());
        assertNull(core.leader());
        try {
            core.step(new Message.Propose(List.of(proposal("x", 0))));
            fail("dropped");
        } catch (ProposalDroppedException expected) {
            // no leader
        }
        try {
            core.step(new Message.ReadIndex(1));
            fail("dropped");
        } catch (ProposalDroppedException expected) {
            // no leader
        }
    }

    @Test
    public void aNodeThatIsNoVoterNeverCampaigns() {
        RaftCore core = new RaftCore("n1", CONFIG, HardState.EMPTY, null, List.of());
        for (int i = 0; i < 100; i++) {
            core.tick();
        }
        assertEquals(Role.FOLLOWER, core.role());
        assertEquals(0, core.term());
    }

    @Test
    public void aReadIndexWaitsUntilTheLeaderHasCommittedInItsTerm() {
        RaftCore core = bootstrapped();
        core.step(new Message.Hup());
        core.step(new Message.ReadIndex(7));
        assertTrue("no read index before the noop of the term commits", core.ready().readStates().isEmpty());
        List<ReadState> states = new ArrayList<>();
        for (Ready r : drive(core)) {
            states.addAll(r.readStates());
        }
        core.step(new Message.ReadIndex(8));
        for (Ready r : drive(core)) {
            states.addAll(r.readStates());
        }
        assertEquals(List.of(new ReadState(7, 2), new ReadState(8, 2)), states);
    }

    @Test
    public void aRestartedLeaderKeepsItsLogAndCommitsWhatWasDurableButUncommitted() {
        RaftCore core = bootstrapped();
        core.step(new Message.Hup());
        drive(core);
        core.step(new Message.Propose(List.of(proposal("a", 1))));
        Ready ready = core.ready();
        hardState = ready.hardState() == null ? hardState : ready.hardState();
        disk.addAll(ready.entries()); // persisted, then the process died before learning it was committed

        RaftCore again = restart(null);
        assertEquals(3, again.lastIndex());
        again.step(new Message.Hup());
        drive(again);
        assertEquals(3, again.term());
        assertEquals(4, again.commitIndex());
        assertEquals(List.of(1L, 2L, 3L, 4L), applied.stream().map(LogEntry::index).toList());
    }

    @Test
    public void compactionDropsTheAppliedPrefixAndARestartFromTheSnapshotGoesOn() {
        RaftCore core = bootstrapped();
        core.step(new Message.Hup());
        drive(core);
        core.step(new Message.Propose(List.of(proposal("a", 1), proposal("b", 2))));
        drive(core);
        Snapshot snapshot = new Snapshot(3, 2, List.of("n1"), List.of(), new byte[0]);
        core.compact(snapshot);
        assertTrue(core.entries(1, 3).isEmpty());
        assertEquals(1, core.entries(1, 4).size());
        assertEquals(2, core.termAt(3));

        disk.removeIf(e -> e.index() <= 3);
        RaftCore again = restart(snapshot);
        assertEquals(4, again.lastIndex());
        again.step(new Message.Hup());
        drive(again);
        assertEquals(List.of(4L, 5L), applied.stream().map(LogEntry::index).toList());
    }

    @Test
    public void aMajorityIsMoreThanHalf() {
        assertEquals(5, MajorityQuorum.committedIndex(List.of(5L)));
        assertEquals(3, MajorityQuorum.committedIndex(List.of(5L, 3L, 1L)));
        assertEquals(3, MajorityQuorum.committedIndex(List.of(5L, 3L, 1L, 4L)));
        assertEquals(4, MajorityQuorum.committedIndex(List.of(5L, 4L, 1L, 4L, 2L)));
        assertEquals(0, MajorityQuorum.committedIndex(List.of()));
    }
}
