package tansu.bench;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** etcd 3.4 through its JSON gateway: {@code /v3/kv/put}, {@code /v3/kv/range}, {@code /v3/watch}, {@code /v3/lock}. */
final class EtcdStore implements Store {

    private static final Pattern MEMBER = Pattern.compile("\"member_id\":\"(\\d+)\"");
    private static final Pattern LEADER = Pattern.compile("\"leader\":\"(\\d+)\"");
    private static final Pattern ID = Pattern.compile("\"ID\":\"(\\d+)\"");
    private static final Pattern KEY = Pattern.compile("\"key\":\"([^\"]+)\"");
    private final List<String> endpoints;

    EtcdStore(List<String> endpoints) {
        this.endpoints = endpoints;
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Call post(String endpoint, String path, String json) {
        return Call.withBody("POST", endpoint, path, "application/json", json);
    }

    private static String call(String endpoint, String path, String json) throws Exception {
        HttpResponse<String> r = Clients.HTTP.send(post(endpoint, path, json).toHttpRequest(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public List<String> endpoints() {
        return endpoints;
    }

    @Override
    public Call put(String endpoint, String key, String value) {
        return post(endpoint, "/v3/kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}");
    }

    @Override
    public Call get(String endpoint, String key) {
        // serializable=false (the default): a linearizable read.
        return post(endpoint, "/v3/kv/range", "{\"key\":\"" + b64(key) + "\"}");
    }

    @Override
    public String leader() throws Exception {
        for (String e : endpoints) {
            String status = call(e, "/v3/maintenance/status", "{}");
            Matcher member = MEMBER.matcher(status);
            Matcher leader = LEADER.matcher(status);
            if (member.find() && leader.find() && member.group(1).equals(leader.group(1))) {
                return e;
            }
        }
        throw new IllegalStateException("no leader among " + endpoints);
    }

    @Override
    public Call watch(String endpoint, String prefix) {
        String start = prefix + "/";
        String end = prefix + "0"; // '/' + 1: every key below the prefix
        return post(endpoint, "/v3/watch", "{\"create_request\":{\"key\":\"" + b64(start) + "\",\"range_end\":\"" + b64(end) + "\"}}");
    }

    /** The lease that keeps the lock, and the key that holds it. */
    record Held(String lease, String key) {
    }

    @Override
    public Object lock(String endpoint, String name) throws Exception {
        Matcher lease = ID.matcher(call(endpoint, "/v3/lease/grant", "{\"TTL\":10}"));
        if (!lease.find()) {
            throw new IllegalStateException("no lease granted");
        }
        String locked = call(endpoint, "/v3/lock/lock", "{\"name\":\"" + b64(name) + "\",\"lease\":\"" + lease.group(1) + "\"}");
        Matcher key = KEY.matcher(locked);
        if (!key.find()) {
            throw new IllegalStateException("lock answered without a key: " + locked);
        }
        return new Held(lease.group(1), key.group(1));
    }

    @Override
    public void unlock(String endpoint, Object held) throws Exception {
        Held h = (Held) held;
        call(endpoint, "/v3/lock/unlock", "{\"key\":\"" + h.key() + "\"}");
        call(endpoint, "/v3/lease/revoke", "{\"ID\":\"" + h.lease() + "\"}");
    }
}
