package tansu.raft.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import tansu.api.Applied;
import tansu.api.Entry;
import tansu.api.StateMachine;

/**
 * The nodes an operator removed, replicated like any state: the leader takes back a node of this
 * cluster that returns after it was removed for being away, but never one removed on purpose (until
 * it is added again on purpose). The consensus bundle's own machine, in every node.
 */
final class RetiredMembers implements StateMachine {

    static final String NAME = "tansu.cluster";
    /** Oldest forgotten first: enough for any cluster's history of deliberate removals. */
    private static final int LIMIT = 1024;
    private static final int FORMAT = 1;

    private final Set<String> retired = new LinkedHashSet<>();

    static byte[] retire(String id) {
        return ("retire " + id).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] admit(String id) {
        return ("admit " + id).getBytes(StandardCharsets.UTF_8);
    }

    /** Driver thread only, like every machine's state. */
    boolean isRetired(String id) {
        return retired.contains(id);
    }

    @Override
    public Applied apply(Entry entry) {
        String command = new String(entry.command(), StandardCharsets.UTF_8);
        int space = command.indexOf(' ');
        String verb = space < 0 ? command : command.substring(0, space);
        String id = space < 0 ? "" : command.substring(space + 1);
        if (verb.equals("retire") && !id.isEmpty()) {
            retired.remove(id);
            retired.add(id);
            if (retired.size() > LIMIT) {
                Iterator<String> oldest = retired.iterator();
                oldest.next();
                oldest.remove();
            }
        } else if (verb.equals("admit")) {
            retired.remove(id);
        }
        return new Applied(null, java.util.List.of());
    }

    @Override
    public void snapshot(DataOutput out) throws IOException {
        out.writeInt(FORMAT);
        out.writeInt(retired.size());
        for (String id : retired) {
            out.writeUTF(id);
        }
    }

    @Override
    public void restore(DataInput in) throws IOException {
        if (in.readInt() != FORMAT) {
            throw new IOException("unknown format of the retired members");
        }
        retired.clear();
        for (int n = in.readInt(); n > 0; n--) {
            retired.add(in.readUTF());
        }
    }

    @Override
    public void reset() {
        retired.clear();
    }
}
