package tansu.discovery.mdns.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tansu mDNS discovery", description = "Announces this node and finds the others of its environment")
public @interface MdnsConfig {

    @AttributeDefinition(description = "Address to bind to and announce")
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "This node's HTTP port")
    int port() default 8080;

    @AttributeDefinition(description = "Environment: nodes of other environments are ignored")
    String env() default "dev";
}
