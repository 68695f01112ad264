package tansu.api;

/** Thrown (through a failed stage) when a request needs the leader and none is known. */
public class NoLeaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoLeaderException(String message) {
        super(message);
    }
}
