package tansu.itests.jepsen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every operation of a run, kept in memory for the checkers and written as JSON lines as it completes. */
public final class History implements AutoCloseable {

    private final List<Op> ops = new ArrayList<>();
    private final BufferedWriter out;
    public final Path file;

    public History(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        this.file = file;
        this.out = Files.newBufferedWriter(file);
    }

    public synchronized void add(Op op) {
        ops.add(op);
        write(op.json());
    }

    /** A line about the run itself (a nemesis starting or ending a fault). */
    public synchronized void note(String what) {
        write("{\"nemesis\":\"" + what.replace("\"", "'") + "\",\"at\":" + System.nanoTime() + "}");
    }

    /** A line of another workload's record (a watcher's event, a lock hold): kept for a failing run's reader. */
    public synchronized void record(String json) {
        write(json);
    }

    private void write(String line) {
        try {
            out.write(line);
            out.newLine();
            // A run killed midway keeps all it recorded.
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operations of a history file (its nemesis lines left out): to check a kept run again. */
    public static List<Op> read(Path file) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<Op> ops = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            com.fasterxml.jackson.databind.JsonNode n;
            try {
                n = json.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException cutShort) {
                continue; // the last line of a run killed while writing it
            }
            if (n.has("f")) {
                long complete = n.path("complete").asLong();
                ops.add(new Op(n.path("process").asInt(), n.path("f").asText(), n.path("key").asText(), n.path("value").asLong(),
                    n.path("expected").asLong(), n.path("invoke").asLong(), complete < 0 ? Op.NEVER : complete,
                    Op.Outcome.valueOf(n.path("outcome").asText().toUpperCase(java.util.Locale.ROOT))));
            }
        }
        return ops;
    }

    public synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
