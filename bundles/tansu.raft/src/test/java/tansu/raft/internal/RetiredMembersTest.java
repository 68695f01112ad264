package tansu.raft.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

import org.junit.Test;

import tansu.api.Entry;

public class RetiredMembersTest {

    private static void apply(RetiredMembers machine, byte[] command) {
        machine.apply(new Entry(1, 1, 0, command));
    }

    @Test
    public void anOperatorsRemovalHoldsUntilTheNodeIsAddedOnPurpose() {
        RetiredMembers machine = new RetiredMembers();
        apply(machine, RetiredMembers.retire("n1"));
        assertTrue(machine.isRetired("n1"));
        assertFalse(machine.isRetired("n2"));
        apply(machine, RetiredMembers.admit("n1"));
        assertFalse(machine.isRetired("n1"));
    }

    @Test
    public void theRetiredSurviveASnapshotAndTheOldestAreForgottenFirst() throws Exception {
        RetiredMembers machine = new RetiredMembers();
        for (int i = 0; i < 1030; i++) {
            apply(machine, RetiredMembers.retire("n" + i));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        machine.snapshot(new DataOutputStream(bytes));
        RetiredMembers restored = new RetiredMembers();
        restored.restore(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertFalse(restored.isRetired("n5"));
        assertTrue(restored.isRetired("n6"));
        assertTrue(restored.isRetired("n1029"));
        restored.reset();
        assertFalse(restored.isRetired("n1029"));
    }
}
