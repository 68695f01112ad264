package tansu.raft.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/** Who votes: the cluster configuration, as carried by CONFIGURATION log entries and snapshots. */
public record Configuration(List<String> voters) {

    public Configuration {
        voters = List.copyOf(new TreeSet<>(voters));
    }

    public static Configuration decode(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        return new Configuration(text.isEmpty() ? List.of() : Arrays.asList(text.split(",")));
    }

    public byte[] encode() {
        return String.join(",", voters).getBytes(StandardCharsets.UTF_8);
    }

    public boolean isVoter(String id) {
        return voters.contains(id);
    }
}
