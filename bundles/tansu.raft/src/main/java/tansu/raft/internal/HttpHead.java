package tansu.raft.internal;

import java.util.Locale;

/**
 * The head of an HTTP/1.1 message between peers, read by hand (a message a batch, on the driver
 * thread: no regular expressions, no split): where it ends and its header fields. Pure; the request
 * and the response reader share it.
 */
final class HttpHead {

    /** Takes one header field, or refuses it with {@code E}. */
    interface Field<E extends Exception> {
        /** {@code name} in lower case, {@code value} trimmed. */
        void take(String name, String value) throws E;
    }

    private HttpHead() {
    }

    /** Whether the first {@code n} bytes of {@code head}, the last a line feed, end with an empty line. */
    static boolean ended(byte[] head, int n) {
        return (n >= 2 && head[n - 2] == '\n') || (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r');
    }

    /** The first line of {@code head} (the request or status line), trimmed. */
    static String firstLine(String head) {
        return head.substring(0, head.indexOf('\n')).trim();
    }

    /** Hands {@code field} every header field of {@code head}, the lines after its first. */
    static <E extends Exception> void fields(String head, Field<E> field) throws E {
        int lineEnd = head.indexOf('\n');
        for (int start = lineEnd + 1; start < head.length(); start = lineEnd + 1) {
            lineEnd = head.indexOf('\n', start);
            int colon = head.indexOf(':', start);
            if (colon < 0 || colon > lineEnd) {
                continue;
            }
            field.take(head.substring(start, colon).trim().toLowerCase(Locale.ROOT), head.substring(colon + 1, lineEnd).trim());
        }
    }
}
