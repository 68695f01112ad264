package tansu.http.internal;

import java.nio.charset.StandardCharsets;

import tansu.api.ChangeEvent;

/** Server-Sent Event framing (the WHATWG event-stream format). */
final class SseFrames {

    static final byte[] KEEP_ALIVE = comment("keep-alive");

    private SseFrames() {
    }

    /**
     * One event. A data value spanning lines becomes one {@code data:} line per line, which a client
     * joins back with newlines.
     */
    static byte[] event(long id, String event, String data) {
        return frame("id: " + id + "\n", event, data);
    }

    /**
     * The frame of a change. Every stream watching it is handed the same change object in turn, on
     * the applying thread: it is framed once and the bytes shared, not turned into JSON per watcher.
     */
    static byte[] event(ChangeEvent change) {
        Framed framed = lastFramed;
        if (framed != null && framed.change() == change) {
            return framed.frame();
        }
        byte[] frame = event(change.revision(), change.type(), Json.string(change.data()));
        lastFramed = new Framed(change, frame);
        return frame;
    }

    private record Framed(ChangeEvent change, byte[] frame) {
    }

    private static volatile Framed lastFramed;

    /** One event with no id: it is no point to resume from. */
    static byte[] event(String event, String data) {
        return frame("", event, data);
    }

    private static byte[] frame(String idLine, String event, String data) {
        StringBuilder frame = new StringBuilder(data.length() + 48);
        frame.append(idLine);
        frame.append("event: ").append(event).append('\n');
        for (String line : data.split("\r\n|\r|\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        frame.append('\n');
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A comment line: ignored by clients, keeps connections (and dead-peer detection) alive. */
    static byte[] comment(String text) {
        return (": " + text.replaceAll("[\r\n]", " ") + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
