package tansu.api.kv;

/** Rules for key paths. */
public final class Keys {

    private Keys() {
    }

    /** The parent of a key, or {@code null} for the root {@code /}. */
    public static String parent(String key) {
        if (key.equals("/")) {
            return null;
        }
        int slash = key.lastIndexOf('/');
        return slash == 0 ? "/" : key.substring(0, slash);
    }

    /** The prefix every key strictly below {@code key} starts with. */
    public static String childPrefix(String key) {
        return key.endsWith("/") ? key : key + "/";
    }

    /** Whether {@code candidate} is {@code key} itself or lies below it. */
    public static boolean within(String key, String candidate) {
        return candidate.equals(key) || candidate.startsWith(childPrefix(key));
    }

    /**
     * Why {@code key} is not a valid key, or {@code null} where it is: it must start with {@code /},
     * not end with one (the root aside), and have no empty segment.
     */
    public static String problem(String key) {
        if (key.isEmpty() || key.charAt(0) != '/') {
            return "a key starts with /";
        }
        if (key.length() > 1 && key.endsWith("/")) {
            return "a key does not end with /";
        }
        if (key.contains("//")) {
            return "a key has no empty segment";
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                return "a key has no control characters";
            }
        }
        return null;
    }
}
