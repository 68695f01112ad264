package tansu.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import tansu.api.kv.Condition;
import tansu.api.kv.Keys;

/** What a request to {@code /api/keys} names: the key and its parameters, checked. */
final class KeyRequest {

    final String key;
    final Map<String, byte[]> query;

    private KeyRequest(String key, Map<String, byte[]> query) {
        this.key = key;
        this.query = query;
    }

    static KeyRequest parse(HttpServletRequest request, String mount, int maxKeyBytes) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String rawKey = path.length() > mount.length() ? path.substring(mount.length()) : "/";
        String key;
        try {
            key = UrlCodec.decode(rawKey, false);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_key", "the key is not valid percent-encoded UTF-8: " + e.getMessage());
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > maxKeyBytes) {
            throw new ApiException(414, "key_too_long", "a key is at most " + maxKeyBytes + " bytes");
        }
        String problem = Keys.problem(key);
        if (problem != null) {
            throw new ApiException(400, "bad_key", problem, Map.of("key", key));
        }
        Map<String, byte[]> query;
        try {
            query = UrlCodec.parseForm(request.getQueryString());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_query", "the query string is not valid: " + e.getMessage());
        }
        return new KeyRequest(key, query);
    }

    /** A parameter from the form body first, then the query string; {@code null} where absent. */
    static String text(Map<String, byte[]> form, Map<String, byte[]> query, String name) {
        byte[] value = form.containsKey(name) ? form.get(name) : query.get(name);
        if (value == null) {
            return null;
        }
        try {
            return UrlCodec.utf8(value);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_parameter", name + " is not valid UTF-8");
        }
    }

    boolean flag(String name) {
        byte[] value = query.get(name);
        if (value == null) {
            return false;
        }
        String text = new String(value, StandardCharsets.UTF_8);
        if (text.isEmpty() || text.equals("true")) {
            return true;
        }
        if (text.equals("false")) {
            return false;
        }
        throw new ApiException(400, "bad_parameter", name + " is true or false");
    }

    static Condition condition(Map<String, byte[]> form, Map<String, byte[]> query) {
        String prevExist = text(form, query, "prevExist");
        byte[] prevValue = form.containsKey("prevValue") ? form.get("prevValue") : query.get("prevValue");
        String prevIndex = text(form, query, "prevIndex");
        Boolean exist = null;
        if (prevExist != null) {
            if (!prevExist.equals("true") && !prevExist.equals("false")) {
                throw new ApiException(400, "bad_parameter", "prevExist is true or false");
            }
            exist = Boolean.valueOf(prevExist);
        }
        Long index = null;
        if (prevIndex != null) {
            index = number(prevIndex, "prevIndex", 0);
        }
        return new Condition(exist, prevValue, index);
    }

    /** A whole number at least {@code min}, or a 400. */
    static long number(String text, String name, long min) {
        try {
            long n = Long.parseLong(text.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, "bad_" + name.toLowerCase(java.util.Locale.ROOT),
            name + " must be a whole number, at least " + min + ": '" + text + "'");
    }
}
