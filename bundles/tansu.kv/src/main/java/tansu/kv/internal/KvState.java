package tansu.kv.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

import tansu.api.Applied;
import tansu.api.ChangeEvent;
import tansu.api.kv.KeyValue;
import tansu.api.kv.Keys;
import tansu.api.kv.KvResult;
import tansu.api.kv.Value;

/**
 * The keys, their revisions and expiries. Pure: every change is a function of the state, the command
 * and the leader's timestamp of the entry, so every node computes the same revisions and events.
 * Not thread-safe; {@link KvMachine} guards it.
 */
final class KvState {

    private static final int SNAPSHOT_FORMAT = 1;

    private final TreeMap<String, KeyValue> keys = new TreeMap<>();
    private final TreeMap<Long, TreeSet<String>> expiries = new TreeMap<>();
    private long revision;

    long revision() {
        return revision;
    }

    KeyValue get(String key) {
        return keys.get(key);
    }

    /** Direct children of {@code key}, in key order. */
    List<KeyValue> children(String key) {
        List<KeyValue> children = new ArrayList<>();
        for (KeyValue kv : below(key).values()) {
            if (key.equals(Keys.parent(kv.key()))) {
                children.add(kv);
            }
        }
        return children;
    }

    private NavigableMap<String, KeyValue> below(String key) {
        String prefix = Keys.childPrefix(key);
        // Every key below starts with the prefix; the prefix with its last character raised bounds them.
        String end = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
        return keys.subMap(prefix, true, end, false);
    }

    /** Keys whose expiry is at or before {@code now}, as (key, updated revision) to expire. */
    List<KeyValue> expiredAt(long now) {
        List<KeyValue> due = new ArrayList<>();
        for (TreeSet<String> set : expiries.headMap(now, true).values()) {
            for (String key : set) {
                due.add(keys.get(key));
            }
        }
        return due;
    }

    Applied apply(KvCommand command, long timestamp) {
        if (command instanceof KvCommand.Put p) {
            return put(p, timestamp);
        }
        if (command instanceof KvCommand.Delete d) {
            return delete(d);
        }
        return expire((KvCommand.Expire) command, timestamp);
    }

    private Applied put(KvCommand.Put p, long timestamp) {
        KeyValue previous = keys.get(p.key());
        if (!p.condition().holdsFor(previous)) {
            return Applied.of(new KvResult.ConditionFailed(p.key(), previous));
        }
        revision++;
        long expiresAt = p.ttl() > 0 ? timestamp + p.ttl() * 1000 : 0;
        KeyValue current = new KeyValue(p.key(), p.value(), previous == null ? revision : previous.created(), revision,
            p.ttl(), expiresAt);
        store(previous, current);
        Map<String, Object> data = event(current.key());
        data.put("value", current.value());
        if (current.ttl() > 0) {
            data.put("ttl", current.ttl());
        }
        return new Applied(new KvResult.Written(current, previous), List.of(new ChangeEvent(revision, "set", p.key(), data)));
    }

    private Applied delete(KvCommand.Delete d) {
        KeyValue root = keys.get(d.key());
        if (!d.condition().holdsFor(root)) {
            return Applied.of(new KvResult.ConditionFailed(d.key(), root));
        }
        List<KeyValue> doomed = new ArrayList<>();
        if (root != null) {
            doomed.add(root);
        }
        doomed.addAll(below(d.key()).values());
        if (doomed.isEmpty()) {
            return Applied.of(new KvResult.NotFound(d.key()));
        }
        List<KeyValue> deleted = new ArrayList<>();
        List<ChangeEvent> events = new ArrayList<>();
        for (KeyValue kv : doomed) {
            events.add(remove(kv, false));
            deleted.add(kv);
        }
        return new Applied(new KvResult.Deleted(root, deleted), events);
    }

    private Applied expire(KvCommand.Expire e, long timestamp) {
        KeyValue kv = keys.get(e.key());
        if (kv == null || kv.updated() != e.updated() || kv.expiresAt() == 0 || kv.expiresAt() > timestamp) {
            return Applied.of(new KvResult.NotFound(e.key()));
        }
        ChangeEvent event = remove(kv, true);
        return new Applied(new KvResult.Deleted(kv, List.of(kv)), List.of(event));
    }

    private ChangeEvent remove(KeyValue kv, boolean expired) {
        revision++;
        keys.remove(kv.key());
        unindexExpiry(kv);
        Map<String, Object> data = event(kv.key());
        data.put("deleted", kv.value());
        if (expired) {
            data.put("expired", true);
        }
        return new ChangeEvent(revision, "deleted", kv.key(), data);
    }

    private static Map<String, Object> event(String key) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("category", "user");
        data.put("key", key);
        return data;
    }

    private void store(KeyValue previous, KeyValue current) {
        if (previous != null) {
            unindexExpiry(previous);
        }
        keys.put(current.key(), current);
        if (current.expiresAt() != 0) {
            expiries.computeIfAbsent(current.expiresAt(), t -> new TreeSet<>()).add(current.key());
        }
    }

    private void unindexExpiry(KeyValue kv) {
        if (kv.expiresAt() == 0) {
            return;
        }
        TreeSet<String> set = expiries.get(kv.expiresAt());
        if (set != null) {
            set.remove(kv.key());
            if (set.isEmpty()) {
                expiries.remove(kv.expiresAt());
            }
        }
    }

    void clear() {
        keys.clear();
        expiries.clear();
        revision = 0;
    }

    /** The keys as they are now (their values never change in place), written later by the capture. */
    tansu.api.StateMachine.Capture capture() {
        long at = revision;
        KeyValue[] all = keys.values().toArray(new KeyValue[0]);
        return out -> write(out, at, all);
    }

    private static void write(DataOutput out, long revision, KeyValue[] all) throws IOException {
        out.writeInt(SNAPSHOT_FORMAT);
        out.writeLong(revision);
        out.writeInt(all.length);
        for (KeyValue kv : all) {
            out.writeUTF(kv.key());
            out.writeUTF(kv.value().contentType());
            out.writeInt(kv.value().bytes().length);
            out.write(kv.value().bytes());
            out.writeLong(kv.created());
            out.writeLong(kv.updated());
            out.writeLong(kv.ttl());
            out.writeLong(kv.expiresAt());
        }
    }

    void restore(DataInput in) throws IOException {
        int format = in.readInt();
        if (format != SNAPSHOT_FORMAT) {
            throw new IOException("unknown kv snapshot format " + format);
        }
        clear();
        revision = in.readLong();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String key = in.readUTF();
            String contentType = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            store(null, new KeyValue(key, new Value(contentType, bytes), in.readLong(), in.readLong(), in.readLong(),
                in.readLong()));
        }
    }
}
