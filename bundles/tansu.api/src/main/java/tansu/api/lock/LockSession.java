package tansu.api.lock;

/** One client's session: closing it releases what it holds and leaves any queue. */
public interface LockSession extends AutoCloseable {

    String id();

    /**
     * Asks for {@code name}: granted at once where it is free; otherwise queued in arrival order when
     * {@code wait}, or answered {@link LockListener#busy} (the session asks nothing more).
     */
    void acquire(String name, boolean wait);

    @Override
    void close();
}
