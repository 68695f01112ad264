package tansu.raft.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

/** A peer's response, however it is cut into pieces on the way, is read whole, once, or refused. */
public class PeerResponseReaderTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 5\r\n\r\nhello";

    @Test
    public void aResponseCutAnywhereIsReadWholeAtItsLastPiece() throws IOException {
        byte[] bytes = ascii(OK);
        for (int cut = 1; cut < bytes.length; cut++) {
            PeerResponseReader reader = new PeerResponseReader("b");
            assertNull("cut at " + cut, reader.take(ByteBuffer.wrap(bytes, 0, cut)));
            assertTrue(reader.midway());
            assertArrayEquals("cut at " + cut, ascii("hello"), reader.take(ByteBuffer.wrap(bytes, cut, bytes.length - cut)));
            assertFalse(reader.midway());
        }
    }

    @Test
    public void oneReaderReadsOneResponseAfterAnother() throws IOException {
        PeerResponseReader reader = new PeerResponseReader("b");
        assertArrayEquals(ascii("hello"), reader.take(ByteBuffer.wrap(ascii(OK))));
        assertArrayEquals(ascii(""), reader.take(ByteBuffer.wrap(ascii("HTTP/1.1 200 OK\nContent-Length: 0\n\n"))));
        assertFalse(reader.closeAfter());
        assertArrayEquals(ascii("x"),
            reader.take(ByteBuffer.wrap(ascii("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx"))));
        assertTrue(reader.closeAfter());
    }

    @Test
    public void responsesThatArriveTogetherAreReadOneAfterTheOther() throws IOException {
        PeerResponseReader reader = new PeerResponseReader("b");
        ByteBuffer arrived = ByteBuffer.wrap(ascii(OK + OK + "HTTP/1.1 200"));
        assertArrayEquals(ascii("hello"), reader.take(arrived));
        assertArrayEquals(ascii("hello"), reader.take(arrived));
        assertNull(reader.take(arrived));
        assertFalse(arrived.hasRemaining());
        assertArrayEquals(ascii("hello"), reader.take(ByteBuffer.wrap(ascii(OK.substring("HTTP/1.1 200".length())))));
    }

    @Test
    public void thePeerPortAResponseNamesIsKeptUntilTheNextResponse() throws IOException {
        PeerResponseReader reader = new PeerResponseReader("b");
        reader.take(ByteBuffer.wrap(ascii("HTTP/1.1 200 OK\r\ntansu-peer-port: 41234\r\nContent-Length: 0\r\n\r\n")));
        assertEquals(41234, reader.peerPort());
        reader.take(ByteBuffer.wrap(ascii(OK)));
        assertEquals(0, reader.peerPort());
        // What is not a port names none: the HTTP port goes on being used.
        for (String bad : new String[] {"0", "65536", "-1", "port"}) {
            reader.take(ByteBuffer.wrap(ascii("HTTP/1.1 200 OK\r\nTansu-Peer-Port: " + bad + "\r\nContent-Length: 0\r\n\r\n")));
            assertEquals(bad, 0, reader.peerPort());
        }
    }

    @Test
    public void aRefusalIsAnErrorWithWhatThePeerSaid() {
        PeerResponseReader reader = new PeerResponseReader("b");
        IOException e = assertThrows(IOException.class, () -> reader.take(ByteBuffer.wrap(ascii(
            "HTTP/1.1 409 Conflict\r\nContent-Length: 13\r\n\r\nforeign_peer!"))));
        assertTrue(e.getMessage(), e.getMessage().contains("409") && e.getMessage().contains("foreign_peer!"));
    }

    @Test
    public void malformedOrUnboundedResponsesAreRefused() {
        for (String bad : new String[] {
            "SSH-2.0-OpenSSH\r\n\r\n",
            "HTTP/1.1 abc OK\r\nContent-Length: 1\r\n\r\n",
            "HTTP/1.1 200 OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: " + (PeerResponseReader.MAX_BODY_BYTES + 1) + "\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX: " + "y".repeat(PeerResponseReader.MAX_HEAD_BYTES) + "\r\n\r\n",
        }) {
            PeerResponseReader reader = new PeerResponseReader("b");
            assertThrows(bad, IOException.class, () -> reader.take(ByteBuffer.wrap(ascii(bad))));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
