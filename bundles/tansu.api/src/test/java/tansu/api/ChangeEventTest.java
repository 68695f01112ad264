package tansu.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class ChangeEventTest {

    private static Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("category", "user");
        data.put("key", "/a");
        data.put("value", null);
        data.put("ttl", 5L);
        return data;
    }

    @Test
    public void itsDataKeepsTheOrderGivenAndEqualsAnyMapWithTheSameFields() {
        Map<String, Object> given = data();
        ChangeEvent event = new ChangeEvent(7, "set", "/a", given);
        given.put("later", "ignored");
        assertEquals(List.of("category", "key", "value", "ttl"), List.copyOf(event.data().keySet()));
        assertEquals(4, event.data().size());
        assertEquals("/a", event.data().get("key"));
        assertTrue(event.data().containsKey("value"));
        assertNull(event.data().get("value"));
        assertFalse(event.data().containsKey("later"));
        Map<String, Object> same = new HashMap<>(data());
        assertEquals(same, event.data());
        assertEquals(event.data(), same);
        assertEquals(same.hashCode(), event.data().hashCode());
        assertEquals(new ChangeEvent(7, "set", "/a", data()), event);
    }

    @Test
    public void itsDataCannotBeChanged() {
        Map<String, Object> data = new ChangeEvent(7, "set", "/a", data()).data();
        for (Runnable change : List.<Runnable>of(() -> data.put("x", 1), () -> data.remove("key"), data::clear,
            () -> data.entrySet().iterator().next().setValue("y"), () -> {
                var it = data.entrySet().iterator();
                it.next();
                it.remove();
            })) {
            try {
                change.run();
                fail("changed");
            } catch (UnsupportedOperationException expected) {
                // unchanged
            }
        }
        assertEquals(4, data.size());
    }
}
