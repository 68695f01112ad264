package tansu.raft.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.Test;

/** Peers' requests on the peer port, read from whatever pieces arrive, and refused where they are not a peer's. */
public class PeerRequestReaderTest {

    private final PeerRequestReader reader = new PeerRequestReader();

    @Test
    public void aRequestArrivingByteByByteIsWholeOnlyAtItsLastByte() throws Exception {
        ByteBuffer request = bytes("POST /internal/raft HTTP/1.1\r\nHost: a:1\r\nContent-Length: 3\r\n\r\nabc");
        int n = request.remaining();
        for (int i = 0; i < n - 1; i++) {
            assertNull(reader.take(request.slice(i, 1)));
            assertTrue(reader.midway());
        }
        PeerRequestReader.Request whole = reader.take(request.slice(n - 1, 1));
        assertEquals("POST", whole.method());
        assertEquals("/internal/raft", whole.path());
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), whole.body());
        assertFalse(whole.closeAfter());
        assertFalse(reader.midway());
    }

    @Test
    public void pipelinedRequestsAreTakenOneAfterTheOtherFromOneRead() throws Exception {
        ByteBuffer both = bytes("POST /p HTTP/1.1\r\nContent-Length: 1\r\n\r\nx"
            + "\r\nPOST /q HTTP/1.1\ncontent-length: 2\nConnection: close\n\nyz");
        PeerRequestReader.Request first = reader.take(both);
        assertEquals("/p", first.path());
        assertTrue(both.hasRemaining());
        PeerRequestReader.Request second = reader.take(both);
        assertEquals("/q", second.path());
        assertArrayEquals("yz".getBytes(StandardCharsets.US_ASCII), second.body());
        assertTrue(second.closeAfter());
        assertFalse(both.hasRemaining());
    }

    @Test
    public void aBodyLargerThanTheFirstBufferIsReadWholeFromManyPieces() throws Exception {
        byte[] large = new byte[300_000];
        new Random(7).nextBytes(large);
        assertNull(reader.take(bytes("POST /internal/raft HTTP/1.1\r\nContent-Length: " + large.length + "\r\n\r\n")));
        PeerRequestReader.Request whole = null;
        for (int at = 0; at < large.length; at += 10_000) {
            assertNull(whole);
            whole = reader.take(ByteBuffer.wrap(large, at, Math.min(10_000, large.length - at)));
        }
        assertArrayEquals(large, whole.body());
    }

    @Test
    public void anHttp10RequestClosesAfterItsAnswerUnlessKeptAlive() throws Exception {
        assertTrue(reader.take(bytes("GET / HTTP/1.0\r\n\r\n")).closeAfter());
        assertFalse(reader.take(bytes("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")).closeAfter());
    }

    @Test
    public void whatIsNotAPeersRequestIsRefusedWithItsStatus() {
        assertRefused(400, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
        assertRefused(400, "POST /internal/raft HTTP/1.1\r\nContent-Length: many\r\n\r\n");
        assertRefused(400, "POST /internal/raft HTTP/1.1\r\nContent-Length: -1\r\n\r\n");
        assertRefused(400, "POST /internal/raft HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertRefused(411, "POST /internal/raft HTTP/1.1\r\nHost: a\r\n\r\n");
        assertRefused(413, "POST /internal/raft HTTP/1.1\r\nContent-Length: " + (PeerRequestReader.MAX_BODY_BYTES + 1) + "\r\n\r\n");
        assertRefused(431, "POST /internal/raft HTTP/1.1\r\nX: " + "a".repeat(PeerRequestReader.MAX_HEAD_BYTES) + "\r\n\r\n");
    }

    private static void assertRefused(int status, String request) {
        try {
            new PeerRequestReader().take(bytes(request));
            fail("taken: " + request.substring(0, Math.min(60, request.length())));
        } catch (PeerRequestReader.Malformed e) {
            assertEquals(e.getMessage(), status, e.status);
        }
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
