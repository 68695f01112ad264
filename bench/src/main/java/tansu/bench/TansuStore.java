package tansu.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** This project: {@code /api/keys} with form bodies, SSE streams, locks held by an SSE stream. */
final class TansuStore implements Store {

    private static final Pattern ROLE = Pattern.compile("\"role\":\"([a-z_]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\":(\\d+)");
    private final List<String> endpoints;

    TansuStore(List<String> endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public String name() {
        return "tansu";
    }

    @Override
    public List<String> endpoints() {
        return endpoints;
    }

    @Override
    public Call put(String endpoint, String key, String value) {
        return Call.withBody("PUT", endpoint, "/api/keys/" + key, "application/x-www-form-urlencoded",
            "value=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    @Override
    public Call get(String endpoint, String key) {
        return Call.get(endpoint, "/api/keys/" + key);
    }

    @Override
    public String leader() throws Exception {
        for (String e : endpoints) {
            String info = Clients.HTTP.send(HttpRequest.newBuilder(URI.create("http://" + e + "/api/info")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = ROLE.matcher(info);
            if (m.find() && m.group(1).equals("leader")) {
                return e;
            }
        }
        throw new IllegalStateException("no leader among " + endpoints);
    }

    @Override
    public Call watch(String endpoint, String prefix) {
        return Call.get(endpoint, "/api/keys/" + prefix + "?stream=true&children=true");
    }

    /** The open stream, read until {@code granted}; closing it (after a DELETE) gives the lock back. */
    record Held(String name, long token, InputStream stream) {
    }

    @Override
    public Object lock(String endpoint, String name) throws Exception {
        HttpResponse<InputStream> r = Clients.HTTP.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/api/locks/" + name))
            .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        boolean granted = false;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.equals("event: granted")) {
                granted = true;
            } else if (granted && line.startsWith("data: ")) {
                Matcher m = TOKEN.matcher(line);
                if (m.find()) {
                    return new Held(name, Long.parseLong(m.group(1)), r.body());
                }
            }
        }
        throw new IllegalStateException("lock stream ended before a grant");
    }

    @Override
    public void unlock(String endpoint, Object held) throws Exception {
        Held h = (Held) held;
        Clients.HTTP.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/api/locks/" + h.name() + "?token=" + h.token()))
            .DELETE().build(), HttpResponse.BodyHandlers.discarding());
        h.stream().close();
    }
}
