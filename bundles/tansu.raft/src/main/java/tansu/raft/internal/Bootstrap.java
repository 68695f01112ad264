package tansu.raft.internal;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * When fresh nodes form their first cluster, and with whom. Every node of a static member list
 * decides alone, and all decide the same: once every listed member has answered, the voters are all
 * of them and the cluster id is derived from their ids. A member that already founded that very
 * cluster (it decided first) does not stop the others; a member of any other cluster does.
 */
final class Bootstrap {

    /** The first configuration and the id of the cluster it founds. */
    record Decision(String cluster, List<String> voters) {
    }

    private Bootstrap() {
    }

    /**
     * @param self      this node's id
     * @param expect    how many nodes form the first cluster
     * @param members   how many addresses the member list names other than this node's own
     * @param answered  the nodes of this environment that answered from those addresses
     */
    static Optional<Decision> decide(String self, int expect, int members, Collection<AddressBook.Entry> answered) {
        if (answered.size() < members || answered.stream().anyMatch(e -> e.id().isEmpty())) {
            return Optional.empty();
        }
        TreeSet<String> voters = new TreeSet<>();
        voters.add(self);
        answered.forEach(e -> voters.add(e.id()));
        if (voters.size() < expect) {
            return Optional.empty();
        }
        String cluster = UUID.nameUUIDFromBytes(String.join(",", voters).getBytes(StandardCharsets.UTF_8)).toString();
        if (answered.stream().anyMatch(e -> !e.cluster().isEmpty() && !e.cluster().equals(cluster))) {
            return Optional.empty();
        }
        return Optional.of(new Decision(cluster, List.copyOf(voters)));
    }
}
