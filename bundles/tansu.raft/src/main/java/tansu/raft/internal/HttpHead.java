package tansu.raft.internal;

import java.nio.charset.StandardCharsets;

/**
 * The head of an HTTP/1.1 message between peers, read and written by hand in bytes (a message a
 * batch, on the driver thread: no strings made of what is only compared or counted): where it ends,
 * its lines and its header fields; a head put in front of a body already encoded. Pure; requests and
 * responses, read and written, share it.
 */
final class HttpHead {

    /** Takes one header field, or refuses it with {@code E}. */
    interface Field<E extends Exception> {
        /** A field whose name is {@code head[nameStart, nameEnd)} and trimmed value {@code head[valueStart, valueEnd)}. */
        void take(byte[] head, int nameStart, int nameEnd, int valueStart, int valueEnd) throws E;
    }

    /** Bytes a head takes after the start {@link #put} is given: the Content-Length's digits and a blank line, at most. */
    static final int END_BYTES = 10 + 4;

    private HttpHead() {
    }

    /**
     * Writes a head into {@code into} that ends just before {@code end}, where a body of {@code length}
     * bytes begins: {@code start} (a head up to its Content-Length's value), the length, a blank line.
     * Answers where the head begins.
     */
    static int put(byte[] into, int end, byte[] start, int length) {
        int at = end;
        into[--at] = '\n';
        into[--at] = '\r';
        into[--at] = '\n';
        into[--at] = '\r';
        int n = length;
        do {
            into[--at] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n > 0);
        at -= start.length;
        System.arraycopy(start, 0, into, at, start.length);
        return at;
    }

    /** Whether the first {@code n} bytes of {@code head}, the last a line feed, end with an empty line. */
    static boolean ended(byte[] head, int n) {
        return (n >= 2 && head[n - 2] == '\n') || (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r');
    }

    /** Where the first line of an ended head ends: its line feed. */
    static int firstLineEnd(byte[] head) {
        int i = 0;
        while (head[i] != '\n') {
            i++;
        }
        return i;
    }

    /** Hands {@code field} every header field of the first {@code n} bytes of {@code head}, the lines after its first. */
    static <E extends Exception> void fields(byte[] head, int n, Field<E> field) throws E {
        int lineEnd = firstLineEnd(head);
        for (int start = lineEnd + 1; start < n; start = lineEnd + 1) {
            lineEnd = start;
            int colon = -1;
            while (head[lineEnd] != '\n') {
                if (colon < 0 && head[lineEnd] == ':') {
                    colon = lineEnd;
                }
                lineEnd++;
            }
            if (colon < 0) {
                continue;
            }
            int nameStart = skipSpace(head, start, colon);
            int nameEnd = trimSpace(head, nameStart, colon);
            int valueStart = skipSpace(head, colon + 1, lineEnd);
            field.take(head, nameStart, nameEnd, valueStart, trimSpace(head, valueStart, lineEnd));
        }
    }

    /** Whether {@code head[start, end)} is {@code lowerCase}, in any case. */
    static boolean is(byte[] head, int start, int end, String lowerCase) {
        if (end - start != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < lowerCase.length(); i++) {
            int b = head[start + i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The decimal number {@code head[start, end)}, or -1 where it is not one (a sign, a space, over 18 digits). */
    static long number(byte[] head, int start, int end) {
        if (end <= start || end - start > 18) {
            return -1;
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            if (head[i] < '0' || head[i] > '9') {
                return -1;
            }
            n = n * 10 + head[i] - '0';
        }
        return n;
    }

    /** {@code head[start, end)} as text, for messages. */
    static String text(byte[] head, int start, int end) {
        return new String(head, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Where {@code c} first occurs in {@code head[start, end)}, or -1. */
    static int indexOf(byte[] head, int start, int end, char c) {
        for (int i = start; i < end; i++) {
            if (head[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code head[start, end)} is {@code ascii}, exactly. */
    static boolean equals(byte[] head, int start, int end, String ascii) {
        return end - start == ascii.length() && startsWith(head, start, end, ascii);
    }

    /** Whether {@code head[start, ...)} begins with {@code ascii} within {@code end}. */
    static boolean startsWith(byte[] head, int start, int end, String ascii) {
        if (end - start < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (head[start + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The first index from {@code start} that is not white space (as {@link String#trim} sees it), at most {@code end}. */
    private static int skipSpace(byte[] head, int start, int end) {
        while (start < end && (head[start] & 0xFF) <= ' ') {
            start++;
        }
        return start;
    }

    /** {@code end} moved back over white space, not before {@code start}. */
    static int trimSpace(byte[] head, int start, int end) {
        while (end > start && (head[end - 1] & 0xFF) <= ' ') {
            end--;
        }
        return end;
    }
}
