package tansu.api.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A stored value: bytes and the content type they were given with. */
public record Value(String contentType, byte[] bytes) {

    public static final String TEXT = "text/plain";
    public static final String JSON = "application/json";

    public static Value text(String text) {
        return new Value(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public boolean isJson() {
        return JSON.equals(contentType);
    }

    public boolean isText() {
        return TEXT.equals(contentType);
    }

    public String utf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public boolean sameBytes(byte[] other) {
        return Arrays.equals(bytes, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Value v && contentType.equals(v.contentType) && Arrays.equals(bytes, v.bytes);
    }

    @Override
    public int hashCode() {
        return contentType.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return contentType + ":" + (isJson() || isText() ? utf8() : bytes.length + " bytes");
    }
}
