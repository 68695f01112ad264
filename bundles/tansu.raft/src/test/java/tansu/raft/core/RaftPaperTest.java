package tansu.raft.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;
import tansu.api.storage.Snapshot;

/**
 * Scenarios of the Raft paper (and Ongaro's thesis), each on a cluster delivered by hand.
 */
public class RaftPaperTest {

    private static final RaftConfig CONFIG = new RaftConfig(10, 1, 7);

    @Test
    public void aCandidateWithVotesFromAMajorityBecomesLeaderAndTheOthersFollow() {
        Cluster c = Cluster.of(3, CONFIG);
        c.campaign("n1");
        assertEquals(Role.LEADER, c.core("n1").role());
        assertEquals(Role.FOLLOWER, c.core("n2").role());
        assertEquals("n1", c.core("n2").leader());
        // Pre-vote does not change terms; the real election takes term 2.
        assertEquals(2, c.core("n1").term());
        assertEquals(2, c.core("n3").term());
    }

    @Test
    public void aLeaderReplicatesAndCommitsOnAMajorityAndEveryNodeAppliesInOrder() {
        Cluster c = Cluster.of(3, CONFIG);
        c.campaign("n1");
        c.propose("n1", "a");
        c.propose("n2", "b"); // forwarded by a follower to its leader
        for (Cluster.Node n : c.nodes.values()) {
            List<String> texts = new ArrayList<>();
            for (LogEntry e : n.applied) {
                if (e.type() == LogEntry.Type.COMMAND) {
                    texts.add(new String(e.data()));
                }
            }
            assertEquals(n.id, List.of("a", "b"), texts);
        }
    }

    @Test
    public void electionRestrictionAVoterRefusesACandidateWhoseLogIsBehind() {
        Cluster c = Cluster.of(3, CONFIG);
        c.campaign("n1");
        c.isolated.add("n3");
        c.propose("n1", "only on n1 and n2");
        c.isolated.clear();
        // n3 missed an entry: n1 and n2 refuse it (5.4.1), so it cannot win.
        c.step("n3", new Message.Hup());
        c.stabilize();
        assertNotEquals(Role.LEADER, c.core("n3").role());
    }

    /**
     * Figure 7: whatever state its followers' logs are in, a new leader of term 8 brings every log in
     * line with its own: missing entries are filled in, extra ones from older terms are replaced.
     */
    @Test
    public void figure7ALeaderBringsEveryFollowersLogInLineWithItsOwn() {
        long[] leaderTerms = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
        long[][] followers = {
            {1, 1, 1, 4, 4, 5, 5, 6, 6},          // (a) missing an entry
            {1, 1, 1, 4},                         // (b) missing many
            {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6},    // (c) an extra entry of term 6
            {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}, // (d) extra entries of term 7
            {1, 1, 1, 4, 4, 4, 4},                // (e) entries of term 4 where the leader has 5 and 6
            {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3},    // (f) a leader of terms 2 and 3 that never committed
        };
        Cluster c = new Cluster(CONFIG);
        List<String> ids = new ArrayList<>(List.of("leader", "a", "b", "c", "d", "e", "f"));
        c.add("leader", new HardState(8, null, 0), log(ids, leaderTerms));
        for (int i = 0; i < followers.length; i++) {
            c.add(ids.get(i + 1), new HardState(7, null, 0), log(ids, followers[i]));
        }
        // The leader of term 8, elected as (a), (b), (c), (e) and (f) would elect it.
        c.isolated.add("d");
        c.campaign("leader");
        assertEquals(Role.LEADER, c.core("leader").role());
        c.isolated.clear();
        c.tick("leader", 1); // a heartbeat reaches (d), which learns of the newer term
        c.stabilize();

        List<Long> expected = c.terms(c.core("leader"));
        for (String follower : ids) {
            assertEquals(follower, expected, c.terms(c.core(follower)));
        }
    }

    /** Index 1 holds the configuration; the figure's entries follow it, shifted by one. */
    private static List<LogEntry> log(List<String> voters, long... terms) {
        List<LogEntry> log = new ArrayList<>();
        log.add(new LogEntry(1, terms[0], 0, LogEntry.Type.CONFIGURATION, "", "", 0,
            new Configuration(voters, List.of()).encode()));
        for (int i = 1; i < terms.length; i++) {
            log.add(Cluster.entry(i + 1, terms[i], "t" + terms[i] + "@" + (i + 1)));
        }
        return log;
    }

    /**
     * Figure 8: an entry of an earlier term that a new leader has copied to a majority is still not
     * committed by counting; only once an entry of the leader's own term is on a majority (5.4.2).
     */
    @Test
    public void figure8AnOldTermsEntryOnAMajorityIsNotCommittedByCounting() {
        RaftConfig oneEntryPerAppend = new RaftConfig(10, 1, 7, true, true, 64, 1, 1024);
        Cluster c = new Cluster(oneEntryPerAppend);
        List<String> ids = List.of("s1", "s2", "s3", "s4", "s5");
        // (c) of the figure: S1 leads term 4; S1 and S2 hold (2, term 2); S5 holds (2, term 3).
        c.add("s1", new HardState(4, "s1", 1), List.of(Cluster.configurationEntry(ids), Cluster.entry(2, 2, "from term 2")));
        c.add("s2", new HardState(4, "s1", 1), List.of(Cluster.configurationEntry(ids), Cluster.entry(2, 2, "from term 2")));
        c.add("s3", new HardState(4, "s1", 1), List.of(Cluster.configurationEntry(ids)));
        c.add("s4", new HardState(4, "s1", 1), List.of(Cluster.configurationEntry(ids)));
        c.add("s5", new HardState(3, "s5", 1), List.of(Cluster.configurationEntry(ids), Cluster.entry(2, 3, "from term 3")));
        c.isolated.add("s5");
        // S1 is elected and sends one entry per append. Every message is delivered but for appends of its
        // no-op (index 3) to a follower that would accept it (one holding index 2).
        c.step("s1", new Message.Hup());
        c.deliverWhile(m -> !(m instanceof Message.AppendEntries a && a.entries().stream().anyMatch(e -> e.index() == 3)
            && !c.core(a.to()).entries(2, 2).isEmpty()));
        assertEquals(Role.LEADER, c.core("s1").role());
        int holders = 0;
        for (String id : ids) {
            List<LogEntry> e = c.core(id).entries(2, 2);
            if (!e.isEmpty() && e.get(0).term() == 2) {
                holders++;
            }
        }
        assertTrue("a majority holds the entry of term 2", holders >= 3);
        assertTrue("yet it is not committed", c.core("s1").commitIndex() < 2);

        // Once the leader's no-op of its own term is on a majority, both commit.
        c.tick("s1", 1);
        assertEquals(3, c.core("s1").commitIndex());
    }

    @Test
    public void aLeaderCutOffFromItsMajorityStepsDownWithinTwoElectionTimeouts() {
        Cluster c = Cluster.of(3, CONFIG);
        c.campaign("n1");
        c.isolated.add("n1");
        // Each election timeout the leader checks it heard from a majority since the previous check.
        c.tick("n1", 2 * CONFIG.electionTicks());
        assertEquals(Role.FOLLOWER, c.core("n1").role());
    }

    @Test
    public void aReturningPartitionedNodeDoesNotDisruptTheClusterThanksToPreVote() {
        Cluster c = Cluster.of(3, CONFIG);
        c.campaign("n1");
        long term = c.core("n1").term();
        c.isolated.add("n3");
        c.tick("n3", 10 * CONFIG.electionTicks());
        assertEquals("pre-votes fail without changing term", term, c.core("n3").term());
        c.isolated.clear();
        c.propose("n1", "after the partition");
        c.tickAll(3 * CONFIG.electionTicks());
        assertEquals("n1", c.leader());
        assertEquals(term, c.core("n1").term());
        assertEquals(c.core("n1").commitIndex(), c.core("n3").commitIndex());
    }

    /** Chunks of 3 bytes, so that a snapshot takes several. */
    private static final RaftConfig SMALL_CHUNKS = new RaftConfig(10, 1, 7, true, true, 64, 256, 3);

    /**
     * n1 leads; n3, cut off, misses five entries, which n1 then compacts into a snapshot of
     * "snapshot-bytes"; n3 is back. Answers that snapshot.
     */
    private static Snapshot followerBehindACompactedLog(Cluster c) {
        c.campaign("n1");
        c.isolated.add("n3");
        for (int i = 0; i < 5; i++) {
            c.propose("n1", "v" + i);
        }
        RaftCore leader = c.core("n1");
        long index = leader.commitIndex();
        Snapshot snapshot = new Snapshot(index, leader.termAt(index), List.of("n1", "n2", "n3"), List.of(),
            "snapshot-bytes".getBytes());
        leader.compact(snapshot);
        c.isolated.clear();
        return snapshot;
    }

    @Test
    public void aFollowerBehindTheCompactedLogCatchesUpFromAChunkedSnapshot() {
        Cluster c = Cluster.of(3, SMALL_CHUNKS);
        Snapshot snapshot = followerBehindACompactedLog(c);
        RaftCore leader = c.core("n1");
        long index = snapshot.index();
        c.tick("n1", 1);
        c.stabilize();

        assertEquals(snapshot.index(), c.node("n3").snapshot.index());
        assertEquals("snapshot-bytes", new String(c.node("n3").snapshot.data()));
        assertEquals(index, c.core("n3").commitIndex());
        c.propose("n1", "after");
        assertEquals(leader.lastIndex(), c.core("n3").lastIndex());
    }

    @Test
    public void aSnapshotOfItsOwnStoredAfterTheLeadersWasInstalledIsIgnored() {
        // The driver stores its snapshots off its thread: the leader's may be installed in between.
        Cluster c = Cluster.of(3, SMALL_CHUNKS);
        Snapshot leaders = followerBehindACompactedLog(c);
        RaftCore n3 = c.core("n3");
        long applied = c.node("n3").applied.get(c.node("n3").applied.size() - 1).index();
        Snapshot own = new Snapshot(applied, n3.termAt(applied), List.of("n1", "n2", "n3"), List.of(), "own".getBytes());
        assertTrue(own.index() < leaders.index());
        c.tick("n1", 1);
        c.stabilize();
        assertEquals(leaders.index(), c.node("n3").snapshot.index());

        n3.compact(own);
        assertEquals("what n3 would send a follower is still the leader's", leaders.index(), n3.snapshot().index());
        assertEquals("snapshot-bytes", new String(n3.snapshot().data()));
        c.propose("n1", "after");
        assertEquals(c.core("n1").lastIndex(), n3.lastIndex());
        assertEquals(c.core("n1").commitIndex(), n3.commitIndex());
    }

    @Test
    public void overASlowLinkOneSnapshotChunkIsInFlightNotOnePerHeartbeat() {
        // Found by the fault suite: a leader sent the chunk again on every heartbeat answer, and every
        // copy's answer sent another chunk, so copies piled up on a slow link until the heap was full.
        Cluster c = Cluster.of(3, SMALL_CHUNKS);
        Snapshot snapshot = followerBehindACompactedLog(c);
        RaftCore leader = c.core("n1");

        // Heartbeats and their answers cross at once; chunks take five election timeouts to arrive.
        List<Message.Peer> slow = new ArrayList<>();
        int ticks = 5 * SMALL_CHUNKS.electionTicks();
        for (int t = 0; t < ticks; t++) {
            leader.tick();
            c.process();
            while (!c.queue.isEmpty()) {
                Message.Peer m = c.queue.remove(0);
                if (m instanceof Message.InstallSnapshot) {
                    slow.add(m);
                } else {
                    c.core(m.to()).step(m);
                }
                c.process();
            }
        }
        assertTrue(slow.size() + " chunks in flight after " + ticks + " heartbeats",
            slow.size() <= 1 + ticks / SMALL_CHUNKS.electionTicks());

        // They arrive: the copies' answers send nothing more; the chunks after the first go one at a time.
        c.queue.addAll(0, slow);
        int[] sent = {0};
        c.deliverWhile(m -> {
            sent[0] += m instanceof Message.InstallSnapshot ? 1 : 0;
            return true;
        });
        int chunks = (snapshot.data().length + 2) / 3;
        assertEquals("the held copies, then each later chunk once", slow.size() + chunks - 1, sent[0]);
        assertEquals(snapshot.index(), c.node("n3").snapshot.index());
        assertEquals("snapshot-bytes", new String(c.node("n3").snapshot.data()));
    }

    @Test
    public void aReadIndexOnAFollowerIsTheLeadersCommitIndexConfirmedByAMajority() {
        Cluster c = Cluster.of(3, CONFIG);
        c.campaign("n1");
        c.propose("n1", "x");
        c.step("n2", new Message.ReadIndex(42));
        c.stabilize();
        assertEquals(List.of(new ReadState(42, c.core("n1").commitIndex())), c.node("n2").readStates);

        // A leader that lost its majority cannot confirm a read.
        c.isolated.add("n2");
        c.isolated.add("n3");
        c.step("n1", new Message.ReadIndex(43));
        c.stabilize();
        assertTrue(c.node("n1").readStates.isEmpty());
    }

    @Test
    public void aVotersReadIndexRequestConfirmsTheLeaderWhenTheTwoAreAMajority() {
        Cluster c = Cluster.of(3, CONFIG);
        c.campaign("n1");
        c.propose("n1", "x");
        c.step("n2", new Message.ReadIndex(7));
        int heartbeats = deliverAllButHeartbeats(c);
        assertEquals(List.of(new ReadState(7, c.core("n1").commitIndex())), c.node("n2").readStates);
        assertEquals("n2's request confirmed n1 for the two of them: no heartbeat round", 0, heartbeats);

        // The leader's own read still waits for a heartbeat round, and no follower's request answers it.
        c.step("n1", new Message.ReadIndex(8));
        c.step("n3", new Message.ReadIndex(9));
        deliverAllButHeartbeats(c);
        assertEquals(List.of(new ReadState(9, c.core("n1").commitIndex())), c.node("n3").readStates);
        assertTrue(c.node("n1").readStates.isEmpty());
        c.tick("n1", CONFIG.heartbeatTicks());
        assertEquals(List.of(new ReadState(8, c.core("n1").commitIndex())), c.node("n1").readStates);
    }

    /** Delivers everything but heartbeats, which are dropped: answers how many were. */
    private static int deliverAllButHeartbeats(Cluster c) {
        int[] heartbeats = {0};
        c.deliverWhile(m -> {
            heartbeats[0] += m instanceof Message.Heartbeat ? 1 : 0;
            return !(m instanceof Message.Heartbeat);
        });
        return heartbeats[0];
    }

    @Test
    public void aLeadersAppendsMayLeaveBeforeItsOwnWriteOfThemButNoAnswerOrVoteMay() {
        // Raft thesis 10.2.1: the leader writes its log in parallel with its followers; its own copy
        // counts once advance() follows its write, so commitment still needs a majority on disk.
        Cluster c = Cluster.of(3, CONFIG);
        c.campaign("n1");
        c.core("n1").step(new Message.Propose(List.of(new Proposal("kv", "n1", 1, "x".getBytes(), 0))));
        Ready leader = c.core("n1").ready();
        assertEquals(2, leader.beforeSync().size());
        assertTrue(leader.beforeSync().stream().allMatch(m -> m instanceof Message.AppendEntries));
        assertTrue(leader.afterSync().isEmpty());

        // The follower's answer says its copy is durable: it leaves only after the write.
        c.core("n2").step(leader.beforeSync().stream().filter(m -> m.to().equals("n2")).findFirst().orElseThrow());
        Ready follower = c.core("n2").ready();
        assertFalse(follower.entries().isEmpty());
        assertTrue(follower.beforeSync().isEmpty());
        assertTrue(follower.afterSync().stream().anyMatch(m -> m instanceof Message.AppendResponse));

        // A new term and vote must be on disk before anything leaves.
        c.core("n3").step(new Message.TimeoutNow("n1", "n3", c.core("n1").term()));
        Ready candidate = c.core("n3").ready();
        assertTrue(candidate.mustSync());
        assertFalse(candidate.earlySends());
        assertTrue(candidate.beforeSync().isEmpty());
        assertEquals(candidate.messages(), candidate.afterSync());
    }

    @Test
    public void withFiveVotersAFollowersReadIndexStillWaitsForAMajoritysHeartbeats() {
        Cluster c = Cluster.of(5, CONFIG);
        c.campaign("n1");
        c.propose("n1", "x");
        c.step("n2", new Message.ReadIndex(7));
        deliverAllButHeartbeats(c);
        assertTrue("n1 and n2 are no majority of five", c.node("n2").readStates.isEmpty());
        c.tick("n1", CONFIG.heartbeatTicks());
        assertEquals(List.of(new ReadState(7, c.core("n1").commitIndex())), c.node("n2").readStates);
    }

    @Test
    public void leadershipTransfersToAnUpToDateVoter() {
        Cluster c = Cluster.of(3, CONFIG);
        c.campaign("n1");
        c.propose("n1", "x");
        c.step("n1", new Message.TransferLeader("n3"));
        c.stabilize();
        assertEquals("n3", c.leader());
        assertFalse(c.core("n1").role() == Role.LEADER);
    }

    @Test
    public void aConfigurationChangeAddsALearnerThenPromotesIt() {
        Cluster c = Cluster.of(3, CONFIG);
        c.campaign("n1");
        c.add("n4", HardState.EMPTY, List.of());
        c.step("n1", new Message.ChangeConfiguration(new Configuration(List.of("n1", "n2", "n3"), List.of("n4"))));
        c.stabilize();
        c.tick("n1", 1);
        assertEquals(List.of("n4"), c.core("n4").configuration().learners());
        assertEquals(c.core("n1").commitIndex(), c.core("n4").commitIndex());

        c.step("n1", new Message.ChangeConfiguration(new Configuration(List.of("n1", "n2", "n3", "n4"), List.of())));
        c.stabilize();
        c.tick("n1", 1);
        assertTrue(c.core("n4").configuration().isVoter("n4"));
        c.isolated.add("n1");
        c.isolated.add("n2");
        // With four voters, n3 and n4 are no majority: nothing commits without a third.
        long commit = c.core("n3").commitIndex();
        c.tickAll(3 * CONFIG.electionTicks());
        assertEquals(commit, c.core("n3").commitIndex());
    }

    @Test
    public void aFollowerForwardsMembershipChangesAndTransfersToItsLeader() {
        Cluster c = Cluster.of(3, CONFIG);
        c.campaign("n1");
        c.add("n4", HardState.EMPTY, List.of());
        c.step("n2", new Message.ChangeMembership("n4", true));
        c.stabilize();
        assertEquals(List.of("n4"), c.core("n1").configuration().learners());

        c.step("n3", new Message.ChangeMembership("n2", false));
        c.stabilize();
        assertEquals(List.of("n1", "n3"), c.core("n1").configuration().voters());

        c.step("n3", new Message.TransferLeader("n3"));
        c.stabilize();
        assertEquals("n3", c.leader());
    }
}
