package tansu.api.lock;

/** What happens to a session's requests for locks. Called from threads that must not be blocked. */
public interface LockListener {

    /** The session holds {@code name}; {@code token} is larger than that of any earlier grant of it. */
    void granted(String name, long token);

    /** The session waits for {@code name}: {@code position} 1 is next; told again whenever it changes. */
    void waiting(String name, String holder, int position);

    /** Asked not to wait, and {@code name} is held. */
    void busy(String name, String holder, long token);

    /** {@code name} was released on purpose with its token: the session holds it no more. */
    void released(String name, long token);

    /**
     * The session is over without a release: its lease could not be renewed in time, it expired, or
     * a request could not be made. Whatever it held may be granted to another.
     */
    void lost(String reason);
}
