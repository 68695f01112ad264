package tansu.http.internal;

import java.io.IOException;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import tansu.api.kv.Value;

/**
 * The JSON of the API. A stored {@link Value} is written as what it is: a JSON document as itself
 * (it was checked on the way in), text as a string, anything else as base64.
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
        .registerModule(new SimpleModule("tansu").addSerializer(Value.class, new ValueSerializer()));

    private Json() {
    }

    static byte[] bytes(Object tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static String string(Object tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Whether {@code bytes} hold exactly one well-formed JSON document. */
    static boolean isDocument(byte[] bytes) {
        try (var parser = MAPPER.getFactory().createParser(bytes)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static final class ValueSerializer extends JsonSerializer<Value> {
        @Override
        public void serialize(Value value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value.isJson()) {
                gen.writeRawValue(value.utf8());
            } else if (value.isText()) {
                gen.writeString(value.utf8());
            } else {
                gen.writeString(Base64.getEncoder().encodeToString(value.bytes()));
            }
        }
    }
}
