package tansu.kv.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.Test;

import tansu.api.Applied;
import tansu.api.ChangeEvent;
import tansu.api.kv.Condition;
import tansu.api.kv.KeyValue;
import tansu.api.kv.KvResult;
import tansu.api.kv.Value;

public class KvStateTest {

    private final KvState state = new KvState();

    private Applied put(String key, String value) {
        return state.apply(new KvCommand.Put(key, Value.text(value), 0, Condition.NONE), 1000);
    }

    @Test
    public void aPutCreatesTheKeyAtTheNextRevisionAndEmitsASetEvent() {
        Applied applied = put("/hello", "world");

        KvResult.Written w = (KvResult.Written) applied.result();
        assertEquals(1, w.current().created());
        assertEquals(1, w.current().updated());
        assertNull(w.previous());
        ChangeEvent e = applied.events().get(0);
        assertEquals(1, e.revision());
        assertEquals("set", e.type());
        assertEquals("/hello", e.data().get("key"));
        assertEquals("user", e.data().get("category"));
        assertEquals(Value.text("world"), e.data().get("value"));
    }

    @Test
    public void anUpdateKeepsCreatedAndReportsThePreviousValue() {
        put("/k", "1");
        KvResult.Written w = (KvResult.Written) put("/k", "2").result();
        assertEquals(1, w.current().created());
        assertEquals(2, w.current().updated());
        assertEquals(Value.text("1"), w.previous().value());
    }

    @Test
    public void childrenAreOnlyTheDirectOnesInKeyOrder() {
        put("/a", "a");
        put("/a/c", "c");
        put("/a/b", "b");
        put("/a/b/deep", "d");
        put("/ab", "not a child");
        assertEquals(List.of("/a/b", "/a/c"), state.children("/a").stream().map(KeyValue::key).collect(Collectors.toList()));
        assertEquals(List.of("/a", "/ab"), state.children("/").stream().map(KeyValue::key).collect(Collectors.toList()));
    }

    @Test
    public void deleteIsRecursiveWithOneRevisionPerKeyAndSparesSiblingsSharingAPrefix() {
        put("/a", "a");
        put("/a/b", "b");
        put("/a/b/c", "c");
        put("/ab", "sibling");
        Applied applied = state.apply(new KvCommand.Delete("/a", Condition.NONE), 0);

        KvResult.Deleted d = (KvResult.Deleted) applied.result();
        assertEquals("/a", d.key().key());
        assertEquals(3, d.all().size());
        assertEquals(List.of(5L, 6L, 7L), applied.events().stream().map(ChangeEvent::revision).collect(Collectors.toList()));
        assertEquals("a", ((Value) applied.events().get(0).data().get("deleted")).utf8());
        assertNull(state.get("/a/b/c"));
        assertEquals("sibling", state.get("/ab").value().utf8());
    }

    @Test
    public void deletingWhatIsNotThereIsNotFoundAndChangesNothing() {
        assertTrue(state.apply(new KvCommand.Delete("/none", Condition.NONE), 0).result() instanceof KvResult.NotFound);
        assertEquals(0, state.revision());
    }

    @Test
    public void failedConditionsChangeNothing() {
        put("/k", "v");
        byte[] wrong = "x".getBytes(StandardCharsets.UTF_8);
        for (Condition c : List.of(new Condition(false, null, null), new Condition(null, wrong, null),
            new Condition(null, null, 7L))) {
            Applied a = state.apply(new KvCommand.Put("/k", Value.text("new"), 0, c), 0);
            KvResult.ConditionFailed f = (KvResult.ConditionFailed) a.result();
            assertEquals("v", f.current().value().utf8());
            assertTrue(a.events().isEmpty());
        }
        assertTrue(state.apply(new KvCommand.Put("/absent", Value.text("x"), 0, new Condition(true, null, null)), 0)
            .result() instanceof KvResult.ConditionFailed);
        assertEquals(1, state.revision());
        assertEquals("v", state.get("/k").value().utf8());
    }

    @Test
    public void passingConditionsWrite() {
        put("/k", "v");
        Condition all = new Condition(true, "v".getBytes(StandardCharsets.UTF_8), 1L);
        assertTrue(state.apply(new KvCommand.Put("/k", Value.text("w"), 0, all), 0).result() instanceof KvResult.Written);
        assertTrue(state.apply(new KvCommand.Delete("/k", new Condition(null, null, 2L)), 0).result()
            instanceof KvResult.Deleted);
    }

    @Test
    public void expiryIsTheLeadersTimestampPlusTtlAndOnlyAnUnchangedDueKeyExpires() {
        state.apply(new KvCommand.Put("/t", Value.text("x"), 5, Condition.NONE), 10_000);
        KeyValue kv = state.get("/t");
        assertEquals(15_000, kv.expiresAt());
        assertTrue(state.expiredAt(14_999).isEmpty());
        assertEquals(List.of(kv), state.expiredAt(15_000));

        // An expiry proposed against an older revision, or before the time, does nothing.
        assertTrue(state.apply(new KvCommand.Expire("/t", kv.updated() - 1), 20_000).result() instanceof KvResult.NotFound);
        assertTrue(state.apply(new KvCommand.Expire("/t", kv.updated()), 14_000).result() instanceof KvResult.NotFound);

        Applied expired = state.apply(new KvCommand.Expire("/t", kv.updated()), 15_001);
        assertTrue(expired.result() instanceof KvResult.Deleted);
        assertEquals("deleted", expired.events().get(0).type());
        assertEquals(true, expired.events().get(0).data().get("expired"));
        assertNull(state.get("/t"));
        assertTrue(state.expiredAt(Long.MAX_VALUE).isEmpty());
    }

    @Test
    public void aWriteWithoutTtlClearsTheExpiry() {
        state.apply(new KvCommand.Put("/t", Value.text("x"), 5, Condition.NONE), 0);
        put("/t", "y");
        assertEquals(0, state.get("/t").expiresAt());
        assertTrue(state.expiredAt(Long.MAX_VALUE).isEmpty());
    }

    @Test
    public void snapshotAndRestoreGiveTheSameStateAndRevision() throws Exception {
        put("/a", "1");
        state.apply(new KvCommand.Put("/b", new Value("image/png", new byte[] {1, 2, 0}), 3, Condition.NONE), 500);
        state.apply(new KvCommand.Delete("/a", Condition.NONE), 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        state.capture().writeTo(new DataOutputStream(bytes));

        KvState restored = new KvState();
        restored.restore(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(3, restored.revision());
        assertNull(restored.get("/a"));
        assertEquals(state.get("/b"), restored.get("/b"));
        assertArrayEquals(new byte[] {1, 2, 0}, restored.get("/b").value().bytes());
        assertEquals(1, restored.expiredAt(3500).size());
    }

    @Test
    public void commandsSurviveTheirEncoding() {
        KvCommand put = new KvCommand.Put("/k", new Value("application/json", "{}".getBytes(StandardCharsets.UTF_8)), 9,
            new Condition(false, "p".getBytes(StandardCharsets.UTF_8), 4L));
        KvCommand.Put decoded = (KvCommand.Put) KvCommand.decode(KvCommand.encode(put));
        assertEquals("/k", decoded.key());
        assertEquals(9, decoded.ttl());
        assertEquals(false, decoded.condition().prevExist());
        assertArrayEquals("p".getBytes(StandardCharsets.UTF_8), decoded.condition().prevValue());
        assertEquals(Long.valueOf(4), decoded.condition().prevIndex());
        assertEquals(new KvCommand.Expire("/x", 3), KvCommand.decode(KvCommand.encode(new KvCommand.Expire("/x", 3))));
        KvCommand.Delete del = (KvCommand.Delete) KvCommand.decode(KvCommand.encode(new KvCommand.Delete("/d", Condition.NONE)));
        assertTrue(del.condition().isNone());
    }

    @Test(expected = IllegalArgumentException.class)
    public void aMalformedCommandIsRejected() {
        KvCommand.decode(new byte[] {42});
    }
}
