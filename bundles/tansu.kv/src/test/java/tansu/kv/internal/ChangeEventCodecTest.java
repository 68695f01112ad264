package tansu.kv.internal;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import tansu.api.ChangeEvent;
import tansu.api.kv.Condition;
import tansu.api.kv.Value;

public class ChangeEventCodecTest {

    @Test
    public void everyChangeTheStoreMakesComesBackEqual() throws IOException {
        KvState state = new KvState();
        List<ChangeEvent> made = new ArrayList<>();
        made.addAll(state.apply(new KvCommand.Put("/a", Value.text("plain"), 0, Condition.NONE), 1000).events());
        made.addAll(state.apply(new KvCommand.Put("/b", new Value("application/json", "{\"x\":1}".getBytes()), 5,
            Condition.NONE), 1000).events());
        long updated = made.get(made.size() - 1).revision();
        made.addAll(state.apply(new KvCommand.Expire("/b", updated), 7000).events());
        made.addAll(state.apply(new KvCommand.Delete("/a", Condition.NONE), 8000).events());
        assertEquals(4, made.size());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (ChangeEvent e : made) {
            ChangeEventCodec.write(new DataOutputStream(bytes), e);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        for (ChangeEvent e : made) {
            assertEquals(e, ChangeEventCodec.read(in));
        }
    }
}
