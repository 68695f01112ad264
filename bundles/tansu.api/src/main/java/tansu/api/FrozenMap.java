package tansu.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An unmodifiable map that keeps its insertion order in one array of keys and values. A node retains
 * thousands of changes for watchers to resume from; their data as linked hash maps took about 330
 * bytes each for three or four fields, this about 70.
 */
final class FrozenMap extends AbstractMap<String, Object> {

    /** Key, value, key, value, ... */
    private final Object[] pairs;

    private FrozenMap(Object[] pairs) {
        this.pairs = pairs;
    }

    static Map<String, Object> of(Map<String, Object> map) {
        if (map instanceof FrozenMap frozen) {
            return frozen;
        }
        Object[] pairs = new Object[2 * map.size()];
        int i = 0;
        for (Map.Entry<String, Object> e : map.entrySet()) {
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        if (i != pairs.length) {
            throw new IllegalArgumentException("the map changed while it was copied");
        }
        return new FrozenMap(pairs);
    }

    @Override
    public int size() {
        return pairs.length / 2;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : pairs[i + 1];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (java.util.Objects.equals(pairs[i], key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return pairs.length / 2;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < pairs.length;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= pairs.length) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, Object> e = new SimpleImmutableEntry<>((String) pairs[next], pairs[next + 1]);
                        next += 2;
                        return e;
                    }
                };
            }
        };
    }
}
