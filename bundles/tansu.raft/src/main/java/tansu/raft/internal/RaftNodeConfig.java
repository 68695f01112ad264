package tansu.raft.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tansu Raft node", description = "A node's identity in its environment, and Raft's timing")
public @interface RaftNodeConfig {

    @AttributeDefinition(description = "Environment: nodes only form clusters with nodes of the same one")
    String env() default "dev";

    @AttributeDefinition(description = "Address this node announces to its peers")
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "HTTP port this node serves on (peers too)")
    int port() default 8080;

    @AttributeDefinition(description = "Port the Raft driver takes peers' batches on itself (peers learn it from the HTTP"
        + " port); 0 any free one, -1 none: peers then send to the HTTP port")
    int peer_port() default 0;

    @AttributeDefinition(description = "How many fresh nodes form the first cluster; 1 makes a node its own cluster")
    int bootstrap_expect() default 3;

    @AttributeDefinition(description = "A voter the leader has not heard from for this long is removed, seconds"
        + " (never below bootstrap.expect voters); 0 never removes")
    int remove_after_s() default 600;

    @AttributeDefinition(description = "Length of one logical tick, milliseconds")
    int tick_ms() default 50;

    @AttributeDefinition(description = "Heartbeat interval, milliseconds")
    int heartbeat_ms() default 100;

    @AttributeDefinition(description = "Minimum election timeout, milliseconds; the actual one is random in [min, 2 * min)")
    int election_ms() default 1000;

    @AttributeDefinition(description = "Take a snapshot after this many applied entries")
    int snapshot_entries() default 10000;

    @AttributeDefinition(description = "And only once the log since the last snapshot holds this many times its bytes "
        + "(0: entries alone)")
    int snapshot_log_ratio() default 2;

    @AttributeDefinition(description = "Take a snapshot once the log since the last one holds this many bytes of commands")
    long snapshot_bytes() default 64L * 1024 * 1024;

    @AttributeDefinition(description = "Take a snapshot at least this often, seconds, where anything was applied")
    int snapshot_interval_s() default 300;
}
