package tansu.raft.core;

import java.util.ArrayList;
import java.util.List;

import tansu.api.storage.LogEntry;
import tansu.api.storage.Snapshot;

/**
 * The log as the core sees it: entries after the latest snapshot, and three marks on it. Entries up to
 * {@code stable} are on disk; entries up to {@code committed} are known committed; entries up to
 * {@code handedOut} have been given to the driver to apply. Always {@code handedOut <= committed} and
 * nothing is handed out before it is on disk here.
 */
final class RaftLog {

    private long snapshotIndex;
    private long snapshotTerm;
    private final ArrayList<LogEntry> entries = new ArrayList<>();
    private long stable;
    private long committed;
    private long handedOut;

    RaftLog(long snapshotIndex, long snapshotTerm, List<LogEntry> stored, long committed) {
        this.snapshotIndex = snapshotIndex;
        this.snapshotTerm = snapshotTerm;
        for (LogEntry e : stored) {
            if (e.index() != snapshotIndex + 1 + entries.size()) {
                throw new IllegalArgumentException("stored log has a gap before index " + e.index());
            }
            entries.add(e);
        }
        this.stable = lastIndex();
        this.committed = Math.max(snapshotIndex, Math.min(committed, stable));
        this.handedOut = snapshotIndex;
    }

    long snapshotIndex() {
        return snapshotIndex;
    }

    long firstIndex() {
        return snapshotIndex + 1;
    }

    long lastIndex() {
        return snapshotIndex + entries.size();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /** Term of the entry at {@code index}; -1 where it is compacted away or beyond the end. */
    long term(long index) {
        if (index == snapshotIndex) {
            return snapshotTerm;
        }
        if (index < snapshotIndex || index > lastIndex()) {
            return -1;
        }
        return entries.get((int) (index - snapshotIndex - 1)).term();
    }

    boolean matchTerm(long index, long term) {
        return term(index) == term;
    }

    /** Whether a log ending at ({@code index}, {@code term}) is at least as up to date as this one (5.4.1). */
    boolean isUpToDate(long index, long term) {
        return term > lastTerm() || (term == lastTerm() && index >= lastIndex());
    }

    long committed() {
        return committed;
    }

    long stable() {
        return stable;
    }

    long handedOut() {
        return handedOut;
    }

    void append(LogEntry entry) {
        if (entry.index() != lastIndex() + 1) {
            throw new IllegalStateException("append at " + entry.index() + " after " + lastIndex());
        }
        entries.add(entry);
    }

    /**
     * A leader's entries following ({@code prevIndex}, {@code prevTerm}): where that entry matches,
     * drops any conflicting suffix, appends what is new, and answers the index of the last entry
     * known to match the leader's log; -1 where {@code prevIndex} does not match.
     */
    long maybeAppend(long prevIndex, long prevTerm, List<LogEntry> leaderEntries) {
        if (!matchTerm(prevIndex, prevTerm)) {
            return -1;
        }
        for (LogEntry e : leaderEntries) {
            if (e.index() <= snapshotIndex) {
                continue;
            }
            if (e.index() <= lastIndex()) {
                if (term(e.index()) == e.term()) {
                    continue;
                }
                if (e.index() <= committed) {
                    throw new IllegalStateException("entry " + e.index() + " conflicts with a committed entry");
                }
                truncateFrom(e.index());
            }
            append(e);
        }
        return prevIndex + leaderEntries.size();
    }

    private void truncateFrom(long index) {
        entries.subList((int) (index - snapshotIndex - 1), entries.size()).clear();
        stable = Math.min(stable, index - 1);
    }

    /**
     * Where the leader should look next after this log rejected ({@code index}, {@code term}): the
     * last index at or below {@code index} whose term is at most {@code term} (etcd's
     * findConflictByTerm), so one rejection skips a whole term of mismatches.
     */
    long conflictHint(long index, long term) {
        long i = Math.min(index, lastIndex());
        while (i > snapshotIndex && term(i) > term) {
            i--;
        }
        return i;
    }

    boolean hasUnstable() {
        return stable < lastIndex();
    }

    boolean hasToApply() {
        return handedOut < Math.min(committed, stable);
    }

    /** Entries not yet on disk. */
    List<LogEntry> unstable() {
        return slice(stable + 1, lastIndex());
    }

    /** Committed, durable entries not yet handed out. */
    List<LogEntry> toApply() {
        return slice(handedOut + 1, Math.min(committed, stable));
    }

    /** Entries {@code from..to}, inclusive, within the log. */
    List<LogEntry> slice(long from, long to) {
        from = Math.max(from, firstIndex());
        to = Math.min(to, lastIndex());
        if (to < from) {
            return List.of();
        }
        return List.copyOf(entries.subList((int) (from - snapshotIndex - 1), (int) (to - snapshotIndex)));
    }

    /** The entry at {@code index} of {@code term} is on disk (and so is everything before it). */
    void stableTo(long index, long term) {
        if (term(index) == term && index > stable) {
            stable = index;
        }
    }

    void commitTo(long index) {
        if (index > committed) {
            if (index > lastIndex()) {
                throw new IllegalStateException("commit " + index + " beyond last index " + lastIndex());
            }
            committed = index;
        }
    }

    void handedOutTo(long index) {
        handedOut = Math.max(handedOut, index);
    }

    /** Drops entries up to {@code index}, now covered by a snapshot the driver has stored. */
    void compact(long index) {
        if (index <= snapshotIndex) {
            return;
        }
        if (index > handedOut) {
            throw new IllegalArgumentException("compact " + index + " beyond applied " + handedOut);
        }
        long term = term(index);
        entries.subList(0, (int) (index - snapshotIndex)).clear();
        snapshotIndex = index;
        snapshotTerm = term;
    }

    /**
     * Replaces the whole log by a snapshot from the leader (one whose last entry this log lacks: a log
     * that has it only needs its commit index moved).
     */
    void restore(Snapshot snapshot) {
        entries.clear();
        snapshotIndex = snapshot.index();
        snapshotTerm = snapshot.term();
        committed = snapshot.index();
        handedOut = snapshot.index();
        stable = snapshot.index();
    }
}
