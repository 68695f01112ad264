package tansu.http.internal;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class SseFramesTest {

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    @Test
    public void anEventIsIdEventAndDataLinesEndedByABlankLine() {
        assertEquals("id: 1042\nevent: set\ndata: {\"key\":\"/hello\"}\n\n",
            text(SseFrames.event(1042, "set", "{\"key\":\"/hello\"}")));
    }

    @Test
    public void dataSpanningLinesBecomesOneDataLinePerLine() {
        assertEquals("id: 1\nevent: set\ndata: {\"a\":\ndata:  1}\ndata: \n\n",
            text(SseFrames.event(1, "set", "{\"a\":\r\n 1}\r")));
    }

    @Test
    public void aCommentCannotBreakOutOfItsLine() {
        assertEquals(": a b\n\n", text(SseFrames.comment("a\nb")));
        assertEquals(": keep-alive\n\n", text(SseFrames.KEEP_ALIVE));
    }
}
