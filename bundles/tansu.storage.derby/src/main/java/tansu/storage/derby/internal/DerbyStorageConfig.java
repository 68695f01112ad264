package tansu.storage.derby.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tansu Derby storage", description = "Where a node keeps its log, hard state and snapshots")
public @interface DerbyStorageConfig {

    @AttributeDefinition(description = "The node's data directory; the Derby database is its 'derby' folder")
    String data_dir() default "data";
}
