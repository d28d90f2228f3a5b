package org.kinora.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The few calls of Kinora's HTTP API the time-to-playable benchmark makes (uploads go through tus-java-client). */
final class KinoraClient {
    /** What the benchmark watches of {@code GET /api/v1/videos/{id}}. */
    record VideoState(String status, int progress, String failureReason) {}

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    KinoraClient(URI base) {
        this.base = base;
    }

    URI uploadsUri() {
        return base.resolve("/api/v1/uploads");
    }

    void register(String username, String email, String password) throws IOException, InterruptedException {
        send(post("/api/v1/auth/register", Map.of("username", username, "email", email, "password", password)), 201);
    }

    String token(String username, String password) throws IOException, InterruptedException {
        JsonNode body = send(post("/api/v1/auth/token", Map.of("username", username, "password", password)), 200);
        return body.path("access_token").asText();
    }

    /** The video an upload belongs to: TusClient keeps the creation response to itself, so ask with HEAD. */
    String videoIdOf(URL upload, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(upload.toString()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token).build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        return response.headers().firstValue("Kinora-Video-Id")
                .orElseThrow(() -> new IOException("HEAD " + upload + " answered " + response.statusCode()
                        + " without Kinora-Video-Id"));
    }

    VideoState video(String id, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/videos/" + id))
                .header("Authorization", "Bearer " + token).GET().build();
        JsonNode body = send(request, 200);
        return new VideoState(body.path("status").asText(), body.path("progress").asInt(),
                body.path("failure_reason").asText(null));
    }

    private HttpRequest post(String path, Map<String, String> body) throws IOException {
        return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
    }

    private JsonNode send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
    }
}
