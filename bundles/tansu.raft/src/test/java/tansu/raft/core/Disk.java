package tansu.raft.core;

import java.util.List;

import tansu.api.storage.LogEntry;

/** A log on a pretend disk, for tests that drive cores by hand. */
final class Disk {

    private Disk() {
    }

    /** Stores {@code entries}, replacing whatever the disk holds from the first one's index on. */
    static void append(List<LogEntry> disk, List<LogEntry> entries) {
        for (LogEntry e : entries) {
            disk.removeIf(d -> d.index() >= e.index());
            disk.add(e);
        }
    }
}
