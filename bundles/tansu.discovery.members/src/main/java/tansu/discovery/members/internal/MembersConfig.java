package tansu.discovery.members.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tansu static members", description = "Where other nodes answer, given by hand (--members)")
public @interface MembersConfig {

    @AttributeDefinition(description = "host:port of each member; this node's own address may be among them")
    String[] members() default {};
}
