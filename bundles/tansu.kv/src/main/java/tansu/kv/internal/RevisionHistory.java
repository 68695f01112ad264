package tansu.kv.internal;

import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import tansu.api.ChangeEvent;
import tansu.api.kv.Keys;
import tansu.api.kv.Value;
import tansu.api.kv.Watch;
import tansu.api.kv.Watcher;

/**
 * The latest changes, bounded by count and by the bytes of their values, and the watches that
 * follow them. A watch asking for changes after a revision gets the retained ones and then live ones,
 * with no gap and no duplicate: both happen under this object's lock. Complete from
 * {@link #base()} on: every change after it is retained.
 */
final class RevisionHistory {

    private final int maxEvents;
    private final long maxBytes;
    private final ArrayDeque<ChangeEvent> events = new ArrayDeque<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private long bytes;
    private long base;
    private long latest;

    RevisionHistory(int maxEvents, long maxBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /** The revision after which history is complete. */
    synchronized long base() {
        return base;
    }

    /** Appends the changes of one entry, in revision order, and passes them to the watches. */
    synchronized void append(List<ChangeEvent> changes) {
        for (ChangeEvent event : changes) {
            events.addLast(event);
            bytes += size(event);
            latest = event.revision();
            while (events.size() > maxEvents || (bytes > maxBytes && events.size() > 1)) {
                ChangeEvent dropped = events.removeFirst();
                bytes -= size(dropped);
                base = dropped.revision();
            }
            for (Subscription s : subscriptions) {
                s.offer(event);
            }
        }
    }

    /** Forgets everything: the state was replaced by a snapshot at {@code revision}. */
    synchronized void restart(long revision) {
        replace(List.of(), revision, revision);
    }

    /**
     * The state was replaced at {@code revision}, with these changes kept after {@code from}: watches
     * that had not seen them get them, those older than {@code from} a reset.
     */
    private void replace(List<ChangeEvent> retained, long from, long revision) {
        events.clear();
        bytes = 0;
        for (ChangeEvent e : retained) {
            events.addLast(e);
            bytes += size(e);
        }
        base = from;
        latest = revision;
        for (Subscription s : subscriptions) {
            if (s.after < base) {
                s.watcher.reset(revision);
                s.after = revision;
            } else {
                events.forEach(s::offer);
            }
        }
    }

    private static final int FORMAT = 1;

    /**
     * The newest retained changes whose values fit in {@code budget} bytes, for a snapshot: a node
     * restored from it resumes watches that far back. The budget is smaller than the retained bytes
     * because a snapshot is built, stored and sent whole, beside the heap the history already takes.
     * Taken now, written later by the capture: changes never change.
     */
    synchronized tansu.api.StateMachine.Capture capture(long budget) {
        List<ChangeEvent> newest = new ArrayList<>();
        long taken = 0;
        long from = base;
        for (var it = events.descendingIterator(); it.hasNext(); ) {
            ChangeEvent e = it.next();
            taken += size(e);
            if (taken > budget) {
                from = e.revision();
                break;
            }
            newest.add(e);
        }
        // Complete after "from": the changes of that revision that did fit are of no use.
        while (!newest.isEmpty() && newest.get(newest.size() - 1).revision() <= from) {
            newest.remove(newest.size() - 1);
        }
        long base = from;
        return out -> {
            out.writeInt(FORMAT);
            out.writeLong(base);
            out.writeInt(newest.size());
            for (int i = newest.size() - 1; i >= 0; i--) {
                ChangeEventCodec.write(out, newest.get(i));
            }
        };
    }

    /** Replaces the history with a snapshot's, the state being restored at {@code revision}. */
    synchronized void read(DataInput in, long revision) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("unknown history format " + format);
        }
        long storedBase = in.readLong();
        int count = in.readInt();
        List<ChangeEvent> read = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            read.add(ChangeEventCodec.read(in));
        }
        replace(read, storedBase, revision);
    }

    synchronized Watch watch(String key, boolean recursive, long after, Watcher watcher) {
        Subscription subscription = new Subscription(key, recursive, after, watcher);
        if (after < base) {
            watcher.reset(latest);
            subscription.after = latest;
        } else {
            for (ChangeEvent event : events) {
                subscription.offer(event);
            }
        }
        subscriptions.add(subscription);
        return () -> subscriptions.remove(subscription);
    }

    synchronized List<ChangeEvent> retained() {
        return new ArrayList<>(events);
    }

    private static long size(ChangeEvent event) {
        long size = 64 + event.key().length();
        for (Object v : event.data().values()) {
            if (v instanceof Value value) {
                size += value.bytes().length;
            }
        }
        return size;
    }

    private static final class Subscription {
        private final String key;
        private final boolean recursive;
        private final Watcher watcher;
        private long after;

        Subscription(String key, boolean recursive, long after, Watcher watcher) {
            this.key = key;
            this.recursive = recursive;
            this.after = after;
            this.watcher = watcher;
        }

        void offer(ChangeEvent event) {
            if (event.revision() <= after) {
                return;
            }
            if (recursive ? Keys.within(key, event.key()) : key.equals(event.key())) {
                after = event.revision();
                watcher.event(event);
            }
        }
    }
}
