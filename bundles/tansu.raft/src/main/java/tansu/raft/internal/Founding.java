package tansu.raft.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * How fresh nodes of one environment found exactly one cluster, however their starts interleave and
 * whatever subsets of each other they see. Pure: the driver feeds it what peers say of themselves.
 *
 * <p>A node founds only with the pledges of {@code expect - 1} others. A fresh node pledges to one
 * founder at a time, and only to one with a smaller id than its own; it takes its pledge back only
 * once that founder has said, in a later round, that it gave up the round pledged to. A founder that
 * founded never gives up, so a node counted by a founder is never counted by another: two clusters
 * would need {@code 2 * expect} fresh nodes. A founder gives up as soon as it sees a smaller fresh
 * node or a node already in a cluster of the environment (which fresh nodes then join instead). The
 * nodes that pledged adopt the cluster when their founder shows it, and vote in its first election.
 */
final class Founding {

    /**
     * What a fresh node says of itself: to whom it is pledged ({@code founder}, empty for nobody, its
     * own id while it founds) in which of that founder's rounds, and the latest round it opened itself.
     */
    record Stance(String founder, long round, long epoch) {
        static final Stance NONE = new Stance("", 0, 0);

        boolean founds(String id) {
            return founder.equals(id) && round == epoch;
        }
    }

    /** A peer of the environment as its last header described it; {@code cluster} is empty while fresh. */
    record Peer(String id, String cluster, Stance stance) {
    }

    /** The first configuration: this node founds the cluster with these voters. */
    record Decision(List<String> voters) {
    }

    private final String self;
    private final int expect;
    private long epoch;
    private Stance pledge = Stance.NONE;

    /**
     * @param firstEpoch where this node's round numbers start: the wall clock at start, so that rounds
     *                   opened after a restart are newer than those before it
     */
    Founding(String self, int expect, long firstEpoch) {
        this.self = self;
        this.expect = expect;
        this.epoch = firstEpoch;
    }

    /** What this node says of itself in every header while fresh. */
    Stance stance() {
        return new Stance(pledge.founder(), pledge.round(), epoch);
    }

    boolean founding() {
        return pledge.founder().equals(self);
    }

    /**
     * A header of a fresh or founded peer of this environment. Answers the cluster to adopt where it
     * is this node's founder showing the cluster it founded in the round this node pledged to.
     */
    Optional<String> observe(Peer peer) {
        if (peer.id().equals(self)) {
            return Optional.empty();
        }
        String founder = pledge.founder();
        if (!founder.isEmpty() && !founding() && founder.equals(peer.id())) {
            if (peer.stance().epoch() == pledge.round() && peer.stance().founds(peer.id()) && !peer.cluster().isEmpty()) {
                return Optional.of(peer.cluster());
            }
            if (peer.stance().epoch() > pledge.round()) {
                // The founder opened a newer round: the one this node pledged to will never found.
                pledge = Stance.NONE;
            }
        }
        if (peer.cluster().isEmpty() && peer.stance().founds(peer.id()) && peer.id().compareTo(self) < 0
            && (pledge.founder().isEmpty() || founding())) {
            if (founding()) {
                giveUp();
            }
            pledge = new Stance(peer.id(), peer.stance().round(), 0);
        }
        return Optional.empty();
    }

    /**
     * Once a round of introductions: whether to open a round, give it up, or found.
     *
     * @param peers every peer of this environment heard from lately, fresh or in a cluster
     */
    Optional<Decision> decide(Collection<Peer> peers) {
        boolean clusterSeen = peers.stream().anyMatch(p -> !p.cluster().isEmpty());
        boolean smallerSeen = peers.stream().anyMatch(p -> p.cluster().isEmpty() && p.id().compareTo(self) < 0);
        if (founding()) {
            if (clusterSeen || smallerSeen) {
                giveUp();
                return Optional.empty();
            }
            TreeSet<String> voters = new TreeSet<>();
            voters.add(self);
            for (Peer p : peers) {
                if (p.cluster().isEmpty() && p.stance().founder().equals(self) && p.stance().round() == pledge.round()) {
                    voters.add(p.id());
                }
            }
            return voters.size() >= expect ? Optional.of(new Decision(new ArrayList<>(voters))) : Optional.empty();
        }
        long fresh = peers.stream().filter(p -> p.cluster().isEmpty()).count();
        if (pledge.founder().isEmpty() && !clusterSeen && !smallerSeen && fresh + 1 >= expect) {
            epoch++;
            pledge = new Stance(self, epoch, 0);
        }
        return Optional.empty();
    }

    private void giveUp() {
        epoch++;
        pledge = Stance.NONE;
    }
}
