package tansu.kv.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tansu key-value store")
public @interface KvConfig {

    @AttributeDefinition(description = "Changes kept for streams to resume from (Last-Event-ID)")
    int history_events() default 10000;

    @AttributeDefinition(description = "Bytes of values kept in that history, at most")
    long history_bytes() default 64L * 1024 * 1024;

    @AttributeDefinition(description = "Bytes of values of that history a snapshot carries, at most: a node "
        + "restored from a snapshot (after a restart, or sent by the leader) resumes streams that far back")
    long history_snapshot_bytes() default 8L * 1024 * 1024;

    @AttributeDefinition(description = "A write or read not answered in this time fails, milliseconds")
    long request_timeout_ms() default 10000;

    @AttributeDefinition(description = "How often the leader looks for expired keys, milliseconds")
    long expiry_check_ms() default 100;
}
