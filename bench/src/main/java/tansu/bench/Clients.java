package tansu.bench;

import java.net.http.HttpClient;
import java.time.Duration;

/** The one HTTP client every measurement uses, for both systems: HTTP/1.1 with keep-alive. */
final class Clients {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    private Clients() {
    }
}
