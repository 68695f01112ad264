package tansu.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** The CPU a system's processes used, from /proc: what a rate costs, beside the rate itself. */
final class Cpu {

    /** /proc reports user and system time in clock ticks, 100 a second on Linux. */
    private static final long MILLIS_PER_TICK = 10;

    private Cpu() {
    }

    /** User and system CPU of the processes named (comma-separated pids), in ms; the gone count nothing. */
    static long millis(String pids) {
        long total = 0;
        for (String pid : pids.split(",")) {
            if (pid.isBlank()) {
                continue;
            }
            try {
                String stat = Files.readString(Path.of("/proc", pid.trim(), "stat"));
                // The command name in parentheses may hold spaces; the fields after it do not.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
            } catch (Exception gone) {
                // the process ended
            }
        }
        return total;
    }
}
