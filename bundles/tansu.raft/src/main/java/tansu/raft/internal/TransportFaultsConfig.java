package tansu.raft.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tansu transport faults",
    description = "Faults the peer transport injects into what this node sends: for tests, never for production")
public @interface TransportFaultsConfig {

    @AttributeDefinition(description = "Probability that a batch is dropped, 0 to 1")
    double drop() default 0;

    @AttributeDefinition(description = "Milliseconds each batch is held before it is sent")
    long delay_ms() default 0;

    @AttributeDefinition(description = "Ids of nodes nothing is sent to (in a .cfg file: comma separated)")
    String[] cut() default {};
}
