package tansu.raft.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;

public class HttpHeadTest {

    @Test
    public void aHeadIsPutJustBeforeItsBody() {
        byte[] start = ascii("POST /x HTTP/1.1\r\nContent-Length: ");
        for (int length : new int[] {0, 7, 10, 123_456, Integer.MAX_VALUE}) {
            byte[] into = new byte[start.length + HttpHead.END_BYTES + 3];
            int end = start.length + HttpHead.END_BYTES;
            int at = HttpHead.put(into, end, start, length);
            assertEquals("POST /x HTTP/1.1\r\nContent-Length: " + length + "\r\n\r\n",
                new String(into, at, end - at, StandardCharsets.US_ASCII));
        }
        assertArrayEquals(ascii("POST /internal/raft HTTP/1.1\r\nHost: h:1\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Length: 12\r\n\r\n"), PeerConnection.head("h", 1, "/internal/raft", 12));
    }

    @Test
    public void fieldsAreNamedAndTrimmedAsTheyCome() {
        byte[] head = ascii("HTTP/1.1 200 OK\r\nContent-Length:  12 \r\nno colon here\r\n X-Odd :\tv: w\r\nEmpty:\r\n\r\n");
        List<String> seen = new ArrayList<>();
        HttpHead.<RuntimeException>fields(head, head.length, (h, name, nameEnd, value, valueEnd) ->
            seen.add(HttpHead.text(h, name, nameEnd) + "=" + HttpHead.text(h, value, valueEnd)));
        assertEquals(List.of("Content-Length=12", "X-Odd=v: w", "Empty="), seen);
    }

    @Test
    public void namesCompareInAnyCaseAndNumbersAreDigitsOnly() {
        byte[] b = ascii("Content-LENGTH 42 +4 -1 4x 1234567890123456789");
        assertTrue(HttpHead.is(b, 0, 14, "content-length"));
        assertFalse(HttpHead.is(b, 0, 13, "content-length"));
        assertEquals(42, HttpHead.number(b, 15, 17));
        assertEquals(-1, HttpHead.number(b, 18, 20));
        assertEquals(-1, HttpHead.number(b, 21, 23));
        assertEquals(-1, HttpHead.number(b, 24, 26));
        assertEquals(-1, HttpHead.number(b, 27, b.length));
        assertEquals(-1, HttpHead.number(b, 15, 15));
        assertEquals(Arrays.asList(true, false), Arrays.asList(HttpHead.startsWith(b, 0, 3, "Con"), HttpHead.startsWith(b, 0, 2, "Con")));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
