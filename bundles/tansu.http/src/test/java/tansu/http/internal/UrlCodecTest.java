package tansu.http.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.Test;

public class UrlCodecTest {

    @Test
    public void decodesEscapesAndUtf8() {
        assertEquals("/a b/é", UrlCodec.decode("/a%20b/%C3%A9", false));
        assertEquals("/a+b", UrlCodec.decode("/a+b", false));
        assertEquals("a b", UrlCodec.decode("a+b", true));
    }

    @Test(expected = IllegalArgumentException.class)
    public void refusesABadEscape() {
        UrlCodec.decode("/a%zz", false);
    }

    @Test(expected = IllegalArgumentException.class)
    public void refusesATruncatedEscape() {
        UrlCodec.decode("/a%4", false);
    }

    @Test(expected = IllegalArgumentException.class)
    public void refusesInvalidUtf8() {
        UrlCodec.decode("/a%C3%28", false);
    }

    @Test
    public void formFieldsKeepTheirBytesAndTheFirstOccurrenceWins() {
        Map<String, byte[]> form = UrlCodec.parseForm("value=a%00b&ttl=5&value=second&flag&=x");
        assertArrayEquals(new byte[] {'a', 0, 'b'}, form.get("value"));
        assertEquals("5", new String(form.get("ttl"), StandardCharsets.UTF_8));
        assertEquals(0, form.get("flag").length);
        assertTrue(UrlCodec.parseForm(null).isEmpty());
        assertFalse(form.containsKey("missing"));
    }

    @Test
    public void aJsonDocumentIsOneWellFormedValue() {
        assertTrue(Json.isDocument("{\"a\":[1,2,{\"b\":null}]}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Json.isDocument("\"text\"".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Json.isDocument("{\"a\":1".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Json.isDocument("{} {}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Json.isDocument(new byte[0]));
    }
}
