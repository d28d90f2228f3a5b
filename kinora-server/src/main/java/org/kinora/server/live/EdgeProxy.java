package org.kinora.server.live;

import io.javalin.http.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Lets any API node serve a live: the live edge (playlists, parts) is in memory on the ingest
 * node, whose internal URL the session row names, so a node that does not hold the live forwards
 * the request there as it is, blocking reload included (the ingest node holds it until the part
 * exists; this node just waits for the answer). One hop only: a forwarded request is never
 * forwarded again, so two nodes that both think the other holds a live cannot loop.
 */
final class EdgeProxy {
    static final String FORWARDED = "Kinora-Live-Forwarded";
    /** Who the viewer is (address and browser), so the ingest node counts the viewers behind an API node one by one. */
    static final String VIEWER = "Kinora-Live-Viewer";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String ownUrl;

    EdgeProxy(String ownUrl) {
        this.ownUrl = ownUrl;
    }

    /** Forwards the request to {@code ingestUrl}; false when it must not be (it is this node, or the request was forwarded already). */
    boolean forward(Context ctx, String ingestUrl, String viewerKey) throws Exception {
        if (ingestUrl == null || ingestUrl.equals(ownUrl) || ctx.header(FORWARDED) != null) return false;
        String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl + ctx.path() + query))
                .timeout(Duration.ofSeconds(30)).header(FORWARDED, "1").header(VIEWER, viewerKey).GET().build();
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        ctx.status(r.statusCode());
        r.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
        r.headers().firstValue("Cache-Control").ifPresent(v -> ctx.header("Cache-Control", v));
        ctx.result(r.body());
        return true;
    }

    /** What the ingest node holding the live knows of it now (viewers, publisher), or empty when it cannot say within 2 s. */
    java.util.Optional<com.fasterxml.jackson.databind.JsonNode> status(String ingestUrl, String liveId) {
        if (ingestUrl == null || ingestUrl.equals(ownUrl)) return java.util.Optional.empty();
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(ingestUrl + "/live/" + liveId + "/status.json"))
                    .timeout(Duration.ofSeconds(2)).header(FORWARDED, "1").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) return java.util.Optional.empty();
            return java.util.Optional.of(org.kinora.server.http.Json.mapper().readTree(r.body()));
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }
}
