package tansu.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/** One request of a measured load: sent by {@link KeepAliveClient}, or as an {@link HttpRequest}. */
record Call(String method, String endpoint, String path, String contentType, byte[] body) {

    static Call get(String endpoint, String path) {
        return new Call("GET", endpoint, path, null, null);
    }

    static Call withBody(String method, String endpoint, String path, String contentType, String body) {
        return new Call(method, endpoint, path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    HttpRequest toHttpRequest() {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + endpoint + path));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    }
}
