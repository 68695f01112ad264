package tansu.lock.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import tansu.api.lock.LockInfo;

/**
 * The locks as of the applied log: sessions, holders with the token of their grant, and queues.
 * Pure and deterministic: the token of a grant is the index of the entry that made it, so tokens only
 * grow, on every node and across leader changes. Not thread-safe: the machine guards it.
 */
final class LockState {

    /** What a command did to a session, for the node serving it. */
    sealed interface Event {
        String session();
    }

    record Granted(String session, String name, long token) implements Event {
    }

    record Waiting(String session, String name, String holder, int position) implements Event {
    }

    /** The session's part in {@code name} ended: {@code how} is released, closed or expired. */
    record Ended(String session, String name, String how, long token) implements Event {
    }

    /** The session is gone from the state. */
    record Gone(String session) implements Event {
    }

    /** The answer to the proposer. */
    sealed interface Result {
    }

    record Grant(long token) implements Result {
    }

    record Queued(String holder, int position) implements Result {
    }

    record Busy(String holder, long token) implements Result {
    }

    record Release(boolean released) implements Result {
    }

    /** Sessions the renewing node asked for that are gone: their clients have lost what they held. */
    record Renewal(List<String> unknown) implements Result {
    }

    record Done() implements Result {
    }

    record Outcome(Result result, List<Event> events) {
    }

    private static final int FORMAT = 1;

    private static final class Session {
        final String node;
        long renewals;
        final Set<String> names = new LinkedHashSet<>();

        Session(String node, long renewals) {
            this.node = node;
            this.renewals = renewals;
        }
    }

    private static final class Lock {
        String holder;
        long token;
        final ArrayDeque<String> waiters = new ArrayDeque<>();
    }

    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, Lock> locks = new TreeMap<>();

    Outcome apply(LockCommand command, long index) {
        List<Event> events = new ArrayList<>();
        Result result;
        if (command instanceof LockCommand.Acquire a) {
            result = acquire(a, index, events);
        } else if (command instanceof LockCommand.Renew r) {
            List<String> unknown = new ArrayList<>();
            for (String id : r.sessions()) {
                Session s = sessions.get(id);
                if (s == null) {
                    unknown.add(id);
                } else {
                    s.renewals++;
                }
            }
            result = new Renewal(unknown);
        } else if (command instanceof LockCommand.Close c) {
            end(c.session(), "closed", index, events);
            result = new Done();
        } else if (command instanceof LockCommand.Expire e) {
            Session s = sessions.get(e.session());
            if (s != null && s.renewals == e.renewals()) {
                end(e.session(), "expired", index, events);
            }
            result = new Done();
        } else if (command instanceof LockCommand.Release r) {
            Lock lock = locks.get(r.name());
            boolean held = lock != null && lock.holder != null && lock.token == r.token();
            if (held) {
                String holder = lock.holder;
                events.add(new Ended(holder, r.name(), "released", lock.token));
                forget(holder, r.name(), events);
                passOn(r.name(), lock, index, events);
            }
            result = new Release(held);
        } else {
            throw new IllegalArgumentException("unknown lock command " + command);
        }
        return new Outcome(result, events);
    }

    private Result acquire(LockCommand.Acquire a, long index, List<Event> events) {
        Lock lock = locks.get(a.name());
        Session session = sessions.get(a.session());
        if (session != null && session.names.contains(a.name())) {
            // Asked again (a retried proposal): the answer is where it stands.
            return lock.holder.equals(a.session()) ? new Grant(lock.token)
                : new Queued(lock.holder, position(lock, a.session()));
        }
        if (lock != null && !a.queue()) {
            return new Busy(lock.holder, lock.token);
        }
        if (session == null) {
            session = new Session(a.node(), 0);
            sessions.put(a.session(), session);
        }
        session.names.add(a.name());
        if (lock == null) {
            lock = new Lock();
            lock.holder = a.session();
            lock.token = index;
            locks.put(a.name(), lock);
            events.add(new Granted(a.session(), a.name(), index));
            return new Grant(index);
        }
        lock.waiters.add(a.session());
        int position = lock.waiters.size();
        events.add(new Waiting(a.session(), a.name(), lock.holder, position));
        return new Queued(lock.holder, position);
    }

    /** Ends a session: what it holds passes on, it leaves every queue. */
    private void end(String id, String how, long index, List<Event> events) {
        Session s = sessions.get(id);
        if (s == null) {
            return;
        }
        for (String name : List.copyOf(s.names)) {
            Lock lock = locks.get(name);
            if (lock.holder.equals(id)) {
                events.add(new Ended(id, name, how, lock.token));
                passOn(name, lock, index, events);
            } else {
                lock.waiters.remove(id);
                events.add(new Ended(id, name, how, 0));
                announcePlaces(name, lock, events);
            }
        }
        sessions.remove(id);
        events.add(new Gone(id));
    }

    /** The session no longer holds or waits for {@code name}; a session left with nothing is gone. */
    private void forget(String id, String name, List<Event> events) {
        Session s = sessions.get(id);
        s.names.remove(name);
        if (s.names.isEmpty()) {
            sessions.remove(id);
            events.add(new Gone(id));
        }
    }

    /** The next waiter gets the lock with this entry's index as its token, or the lock is free. */
    private void passOn(String name, Lock lock, long index, List<Event> events) {
        String next = lock.waiters.poll();
        if (next == null) {
            locks.remove(name);
            return;
        }
        lock.holder = next;
        lock.token = index;
        events.add(new Granted(next, name, index));
        announcePlaces(name, lock, events);
    }

    private static void announcePlaces(String name, Lock lock, List<Event> events) {
        int position = 0;
        for (String waiter : lock.waiters) {
            events.add(new Waiting(waiter, name, lock.holder, ++position));
        }
    }

    private static int position(Lock lock, String session) {
        int position = 0;
        for (String waiter : lock.waiters) {
            position++;
            if (waiter.equals(session)) {
                return position;
            }
        }
        return 0;
    }

    LockInfo info(String name) {
        Lock lock = locks.get(name);
        if (lock == null) {
            return new LockInfo(name, null, List.of());
        }
        List<LockInfo.Waiter> waiting = new ArrayList<>();
        for (String w : lock.waiters) {
            waiting.add(new LockInfo.Waiter(w, sessions.get(w).node));
        }
        return new LockInfo(name, new LockInfo.Holder(lock.holder, sessions.get(lock.holder).node, lock.token), waiting);
    }

    /** Every session and how many times it was renewed. */
    Map<String, Long> renewals() {
        Map<String, Long> renewals = new LinkedHashMap<>();
        sessions.forEach((id, s) -> renewals.put(id, s.renewals));
        return renewals;
    }

    void snapshot(DataOutput out) throws IOException {
        out.writeInt(FORMAT);
        out.writeInt(sessions.size());
        for (Map.Entry<String, Session> e : sessions.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue().node);
            out.writeLong(e.getValue().renewals);
        }
        out.writeInt(locks.size());
        for (Map.Entry<String, Lock> e : locks.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue().holder);
            out.writeLong(e.getValue().token);
            out.writeInt(e.getValue().waiters.size());
            for (String w : e.getValue().waiters) {
                out.writeUTF(w);
            }
        }
    }

    void restore(DataInput in) throws IOException {
        if (in.readInt() != FORMAT) {
            throw new IOException("unknown format of the lock machine's snapshot");
        }
        clear();
        for (int n = in.readInt(); n > 0; n--) {
            sessions.put(in.readUTF(), new Session(in.readUTF(), in.readLong()));
        }
        for (int n = in.readInt(); n > 0; n--) {
            String name = in.readUTF();
            Lock lock = new Lock();
            lock.holder = in.readUTF();
            lock.token = in.readLong();
            sessions.get(lock.holder).names.add(name);
            for (int w = in.readInt(); w > 0; w--) {
                String waiter = in.readUTF();
                lock.waiters.add(waiter);
                sessions.get(waiter).names.add(name);
            }
            locks.put(name, lock);
        }
    }

    void clear() {
        sessions.clear();
        locks.clear();
    }
}
