package tansu.counter.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.junit.Test;

import tansu.api.Entry;

public class CounterStateTest {

    @Test
    public void incrementsAddUpAndSurviveASnapshot() throws Exception {
        CounterMachine machine = new CounterMachine();
        assertEquals(5L, machine.apply(new Entry(1, 1, 0, CounterMachine.increment("a", 5))).result());
        assertEquals(3L, machine.apply(new Entry(2, 1, 0, CounterMachine.increment("a", -2))).result());
        assertEquals(1L, machine.apply(new Entry(3, 1, 0, CounterMachine.increment("b", 1))).result());
        assertNull(machine.get("never"));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        machine.snapshot(new DataOutputStream(bytes));
        CounterMachine restored = new CounterMachine();
        restored.restore(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(3L, restored.get("a").longValue());
        assertEquals(1L, restored.get("b").longValue());
        restored.reset();
        assertNull(restored.get("a"));
    }

    @Test
    public void aSnapshotOfANewerFormatIsRefusedNotMisread() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(CounterState.FORMAT + 1);
        out.writeInt(0);
        try {
            new CounterState().restore(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            fail("read a format it does not know");
        } catch (IOException expected) {
            // refused
        }
    }
}
