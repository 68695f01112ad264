package tansu.http.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strict percent-decoding of paths, query strings and form bodies: a malformed escape or invalid
 * UTF-8 is an error, never silently replaced.
 */
final class UrlCodec {

    private UrlCodec() {
    }

    /** Decodes {@code %XX} escapes (and {@code +} as space where {@code plusIsSpace}) into raw bytes. */
    static byte[] decodeBytes(String s, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("truncated percent-escape at position " + i);
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("invalid percent-escape '" + s.substring(i, i + 3) + "'");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c > 0x7f) {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /** Decodes to text, refusing bytes that are not UTF-8. */
    static String decode(String s, boolean plusIsSpace) {
        return utf8(decodeBytes(s, plusIsSpace));
    }

    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not valid UTF-8");
        }
    }

    /**
     * Parses {@code a=1&b=2} (a query string or a form body). The first occurrence of a name wins;
     * values stay raw bytes so that a form value is stored exactly as sent.
     */
    static Map<String, byte[]> parseForm(String encoded) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            byte[] value = eq < 0 ? new byte[0] : decodeBytes(pair.substring(eq + 1), true);
            fields.putIfAbsent(name, value);
        }
        return fields;
    }
}
