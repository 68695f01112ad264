package tansu.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tansu HTTP API", description = "Limits of the key API and its change streams")
public @interface HttpConfig {

    @AttributeDefinition(description = "Longest key, bytes of UTF-8 (414 beyond)")
    int max_key_bytes() default 1024;

    @AttributeDefinition(description = "Largest value, bytes (413 beyond)")
    int max_value_bytes() default 1024 * 1024;

    @AttributeDefinition(description = "Frames a change stream may have waiting for a slow client before it is closed")
    int stream_buffer_frames() default 1024;

    @AttributeDefinition(description = "A keep-alive comment is sent on every stream this often, seconds")
    int keepalive_s() default 15;

    @AttributeDefinition(description = "A keep-alive comment is sent on every lock stream this often, seconds: a vanished client is found by it")
    int lock_keepalive_s() default 1;
}
