package tansu.lock.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tansu locks", description = "Sessions, leases and their renewal")
public @interface LockConfig {

    @AttributeDefinition(description = "milliseconds a session lives without renewal before the leader expires it")
    long lease_ms() default 10_000;

    @AttributeDefinition(description = "milliseconds between a node's renewals of its sessions")
    long renew_ms() default 2_500;

    @AttributeDefinition(description = "milliseconds a request waits for the cluster before it fails")
    long request_timeout_ms() default 10_000;
}
