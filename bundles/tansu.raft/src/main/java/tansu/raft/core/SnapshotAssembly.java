package tansu.raft.core;

import java.io.ByteArrayOutputStream;

import tansu.api.storage.Snapshot;

/** A snapshot arriving from the leader chunk by chunk, in order. */
final class SnapshotAssembly {

    private long index = -1;
    private long term;
    private ByteArrayOutputStream data = new ByteArrayOutputStream();

    /**
     * Takes the next chunk; answers the whole snapshot once its last chunk arrived, else {@code null}.
     * A chunk out of order (a lost message, a leader starting over) is refused unless it starts anew.
     */
    Snapshot receive(Message.InstallSnapshot m) {
        if (m.index() == index && m.snapshotTerm() == term && m.offset() + m.chunk().length == data.size()
            && !m.done()) {
            // The chunk received last, again (its answer was lost): answer it again.
            return null;
        }
        if (m.offset() == 0) {
            index = m.index();
            term = m.snapshotTerm();
            data = new ByteArrayOutputStream();
        } else if (m.index() != index || m.snapshotTerm() != term || m.offset() != data.size()) {
            throw new IllegalArgumentException("chunk at " + m.offset() + " of snapshot " + m.index()
                + " does not follow the " + data.size() + " bytes received");
        }
        data.write(m.chunk(), 0, m.chunk().length);
        if (!m.done()) {
            return null;
        }
        Snapshot complete = new Snapshot(index, term, m.configuration().voters(), m.configuration().learners(),
            data.toByteArray());
        index = -1;
        data = new ByteArrayOutputStream();
        return complete;
    }

    long received() {
        return data.size();
    }
}
