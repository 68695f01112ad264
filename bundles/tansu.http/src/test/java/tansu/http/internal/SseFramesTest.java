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

    @Test
    public void aChangeIsFramedOnceForAllItsWatchersAndEachChangeAfresh() {
        tansu.api.ChangeEvent first = new tansu.api.ChangeEvent(7, "set", "/a", java.util.Map.of("key", "/a"));
        byte[] frame = SseFrames.event(first);
        assertEquals("id: 7\nevent: set\ndata: {\"key\":\"/a\"}\n\n", text(frame));
        org.junit.Assert.assertSame("the next watcher of the same change gets the same bytes", frame, SseFrames.event(first));
        tansu.api.ChangeEvent equal = new tansu.api.ChangeEvent(7, "set", "/a", java.util.Map.of("key", "/a"));
        tansu.api.ChangeEvent second = new tansu.api.ChangeEvent(8, "deleted", "/a", java.util.Map.of("key", "/a"));
        assertEquals("id: 8\nevent: deleted\ndata: {\"key\":\"/a\"}\n\n", text(SseFrames.event(second)));
        assertEquals(text(frame), text(SseFrames.event(equal)));
    }
}
