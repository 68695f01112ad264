package tansu.raft.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Who votes and who only learns: the cluster configuration, carried by CONFIGURATION log entries and
 * by snapshots. A configuration takes effect as soon as its entry is in a node's log (thesis 4.1).
 */
public record Configuration(List<String> voters, List<String> learners) {

    public static final Configuration EMPTY = new Configuration(List.of(), List.of());

    public Configuration {
        voters = List.copyOf(new TreeSet<>(voters));
        TreeSet<String> onlyLearners = new TreeSet<>(learners);
        onlyLearners.removeAll(voters);
        learners = List.copyOf(onlyLearners);
    }

    public static Configuration ofVoters(String... voters) {
        return new Configuration(Arrays.asList(voters), List.of());
    }

    /** {@code voters;learners}, each comma-separated. */
    public static Configuration decode(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        int semicolon = text.indexOf(';');
        String voters = semicolon < 0 ? text : text.substring(0, semicolon);
        String learners = semicolon < 0 ? "" : text.substring(semicolon + 1);
        return new Configuration(split(voters), split(learners));
    }

    private static List<String> split(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
    }

    public byte[] encode() {
        return (String.join(",", voters) + ";" + String.join(",", learners)).getBytes(StandardCharsets.UTF_8);
    }

    public boolean isVoter(String id) {
        return voters.contains(id);
    }

    public boolean contains(String id) {
        return voters.contains(id) || learners.contains(id);
    }

    /** Voters and learners. */
    public List<String> members() {
        List<String> all = new ArrayList<>(voters);
        all.addAll(learners);
        return all;
    }
}
