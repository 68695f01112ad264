package tansu.kv.internal;

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
        events.clear();
        bytes = 0;
        base = revision;
        latest = revision;
        for (Subscription s : subscriptions) {
            if (s.after < revision) {
                s.watcher.reset(revision);
                s.after = revision;
            }
        }
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
