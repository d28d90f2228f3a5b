package org.kinora.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.kinora.core.common.Ids;

/** JSON over HTTP against a {@link TestServer}, plus fixtures written straight into its database. */
final class Api {
    final TestServer server;

    Api(TestServer server) {
        this.server = server;
    }

    record Reply(int status, JsonNode json, HttpResponse<String> raw) {
        String header(String name) { return raw.headers().firstValue(name).orElse(null); }
        String code() { return json == null || json.get("code") == null ? null : json.get("code").asText(); }
    }

    Reply call(String method, String path, String body, String token, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        HttpResponse<String> r = server.send(b);
        JsonNode json = r.body() == null || r.body().isBlank() ? null : TestServer.JSON.readTree(r.body());
        return new Reply(r.statusCode(), json, r);
    }

    Reply get(String path, String token) throws Exception { return call("GET", path, null, token); }
    Reply post(String path, String body, String token, String... headers) throws Exception { return call("POST", path, body, token, headers); }
    Reply put(String path, String body, String token) throws Exception { return call("PUT", path, body, token); }
    Reply patch(String path, String body, String token) throws Exception { return call("PATCH", path, body, token); }
    Reply delete(String path, String token) throws Exception { return call("DELETE", path, null, token); }

    /** The 200 body of a GET, failing loudly otherwise. */
    JsonNode ok(String path, String token) throws Exception {
        Reply r = get(path, token);
        if (r.status() != 200) throw new AssertionError("GET " + path + " -> " + r.status() + " " + r.raw().body());
        return r.json();
    }

    String userId(String token) throws Exception {
        return ok("/api/v1/me", token).get("id").asText();
    }

    Connection db() throws Exception {
        return DriverManager.getConnection(server.kinora.databaseUrl());
    }

    /**
     * A ready video row as the pipeline leaves it (fixture: these tests are about engagement, not
     * transcoding, which PipelineIT covers end to end).
     */
    String seedVideo(String ownerId, String title, String privacy, Instant publishedAt) throws Exception {
        String id = Ids.newVideoId();
        try (Connection c = db(); PreparedStatement st = c.prepareStatement("""
                INSERT INTO videos (id, owner_id, title, description, privacy, status, progress, duration_seconds, width, height,
                                    created_at, updated_at, published_at)
                VALUES (?, ?, ?, '', ?, 'ready', 100, 120, 640, 360, ?, ?, ?)""")) {
            Timestamp t = Timestamp.from(publishedAt);
            st.setString(1, id);
            st.setString(2, ownerId);
            st.setString(3, title);
            st.setString(4, privacy);
            st.setTimestamp(5, t);
            st.setTimestamp(6, t);
            st.setTimestamp(7, t);
            st.executeUpdate();
        }
        return id;
    }

    /** Runs {@code n} calls at once (released together) and returns their results. */
    static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Polls until {@code done} holds; returns how long it took, failing after {@code timeout}. */
    static Duration await(Duration timeout, Callable<Boolean> done) throws Exception {
        long start = System.nanoTime();
        while (!done.call()) {
            if (System.nanoTime() - start > timeout.toNanos()) throw new AssertionError("condition not met within " + timeout);
            Thread.sleep(25);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    static List<String> ids(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.get("id").asText()));
        return out;
    }

    /** Follows next_cursor through every page of a listing. */
    List<JsonNode> all(String path, String token, int limit, Predicate<JsonNode> stopEarly) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            String sep = path.contains("?") ? "&" : "?";
            JsonNode page = ok(path + sep + "limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor), token);
            page.get("items").forEach(out::add);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            if (out.size() > 10_000 || out.stream().anyMatch(stopEarly)) break;
        } while (cursor != null);
        return out;
    }
}
