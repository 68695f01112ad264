package tansu.bench;


/** How one system under test is asked to write, read, watch and lock, over its HTTP API. */
interface Store {

    String name();

    /** The members' addresses, host:port. */
    java.util.List<String> endpoints();

    Call put(String endpoint, String key, String value);

    /** A linearizable read. */
    Call get(String endpoint, String key);

    /** Whether the status of an answer to {@link #put} or {@link #get} is a success. */
    default boolean ok(int status) {
        return status == 200;
    }

    /** The endpoint of the current leader. */
    String leader() throws Exception;

    /** A stream of the changes below {@code prefix}; each change arrives as one or more lines naming the key. */
    Call watch(String endpoint, String prefix);

    /** Takes a lock, blocking until it is held; answers what {@link #unlock} needs. */
    Object lock(String endpoint, String name) throws Exception;

    void unlock(String endpoint, Object held) throws Exception;
}
