package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * /api/v1/openapi.json describes every route Javalin has registered (and nothing else), is valid
 * OpenAPI 3.1 by swagger-parser, and the route roles keep the rate limit and Idempotency-Key
 * exactly where the old path rules put them. /api/docs serves the reference page.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OpenApiIT {
    static final int WRITES_PER_MINUTE = 5;

    @TempDir
    static Path dir;
    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("data"), Map.of("ratelimit.writes-per-minute", Integer.toString(WRITES_PER_MINUTE)));
        api = new Api(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static String document() throws Exception {
        var r = server.get("/api/v1/openapi.json", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return r.body();
    }

    static SwaggerParseResult validate(String json) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIParser().readContents(json, null, options);
    }

    @Test
    void theDocumentIsValidOpenApi31() throws Exception {
        SwaggerParseResult result = validate(document());
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(result.getOpenAPI().getPaths()).containsKey("/api/v1/videos/{id}");
        // The validator is real: the same document with an operation that has no responses is rejected.
        ObjectNode broken = (ObjectNode) TestServer.JSON.readTree(document());
        ((ObjectNode) broken.at("/paths/~1api~1v1~1videos~1{id}/get")).remove("responses");
        assertThat(validate(broken.toString()).getMessages()).isNotEmpty();
    }

    @Test
    void everyRegisteredRouteIsDescribedAndNothingElse() throws Exception {
        JsonNode paths = TestServer.JSON.readTree(document()).get("paths");
        Set<String> described = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            var path = it.next();
            path.getValue().fieldNames().forEachRemaining(m -> described.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        Set<String> registered = new TreeSet<>();
        server.kinora.registeredEndpoints().keySet().forEach(e -> registered.add(e.replaceAll("<([^>]+)>", "{$1}")));
        assertThat(registered).hasSizeGreaterThan(60).contains("GET /api/v1/openapi.json", "PATCH /api/v1/uploads/{id}");
        assertThat(described).isEqualTo(registered);
    }

    /** The filters used to decide by path; the roles must give the same answer for every route. */
    @Test
    void routeRolesMatchTheOldPathRules() {
        Set<String> mutating = Set.of("POST", "PUT", "PATCH", "DELETE");
        server.kinora.registeredEndpoints().forEach((endpoint, roles) -> {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1);
            boolean api = mutating.contains(method) && path.startsWith("/api/v1/") && !path.startsWith("/api/v1/uploads");
            // Creating a tus upload counts too (it reserves quota and a video row); its chunks do not.
            boolean limited = (api && !path.endsWith("/events") && !path.startsWith("/api/v1/auth/"))
                    || endpoint.equals("POST /api/v1/uploads");
            // Raw picture bodies (up to 8 MiB) are not replayed from the idempotency store.
            boolean idempotent = api && !path.endsWith("/avatar") && !path.endsWith("/banner") && !path.endsWith("/thumbnail");
            assertThat(roles.contains("WRITE_LIMITED")).as("WRITE_LIMITED on " + endpoint).isEqualTo(limited);
            assertThat(roles.contains("IDEMPOTENT")).as("IDEMPOTENT on " + endpoint).isEqualTo(idempotent);
            // StreamGate capped these three streams by path; StandingFilters let appeals through by path.
            boolean stream = method.equals("GET") && Set.of("/api/v1/videos/{id}/events", "/api/v1/notifications/stream",
                    "/api/v1/lives/{id}/chat/stream").contains(path);
            assertThat(roles.contains("EVENT_STREAM")).as("EVENT_STREAM on " + endpoint).isEqualTo(stream);
            boolean appeal = limited && path.startsWith("/api/v1/me/moderation/");
            assertThat(roles.contains("ALLOWED_WHILE_SUSPENDED")).as("ALLOWED_WHILE_SUSPENDED on " + endpoint).isEqualTo(appeal);
        });
        assertThat(server.kinora.registeredEndpoints().get("POST /api/v1/me/moderation/actions/{id}/appeal")).contains("ALLOWED_WHILE_SUSPENDED");
    }

    @Test
    void theWriteBudgetCountsWriteLimitedRoutesOnly() throws Exception {
        String dora = server.register("dora");
        for (int i = 0; i < WRITES_PER_MINUTE; i++) {
            assertThat(api.put("/api/v1/me/history/settings", "{\"paused\":" + (i % 2 == 0) + "}", dora).status()).isEqualTo(200);
        }
        Api.Reply limited = api.put("/api/v1/me/history/settings", "{\"paused\":false}", dora);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
        // Not WRITE_LIMITED: sign-in and play events keep working with the budget spent; starting an upload does not.
        assertThat(api.post("/api/v1/auth/token", "{\"username\":\"dora\",\"password\":\"correct horse\"}", null).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/videos/no-such-video/events", "{\"type\":\"play\",\"session_id\":\"s1\"}", dora).status())
                .isNotEqualTo(429);
        assertThat(api.call("POST", "/api/v1/uploads", "", dora, "Tus-Resumable", "1.0.0", "Upload-Length", "10",
                "Upload-Metadata", "filename dGVzdC5tcDQ=").status()).isEqualTo(429);
    }

    @Test
    void theReferencePageLoadsRedocUnderThePagePolicy() throws Exception {
        var page = server.get("/api/docs", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self';").doesNotContain("unsafe-eval"));
        assertThat(page.body()).contains("/static/vendor/redoc/redoc.standalone.js", "/api/v1/openapi.json").doesNotContain("<script>");
        var redoc = server.get("/static/vendor/redoc/redoc.standalone.js", null);
        assertThat(redoc.statusCode()).isEqualTo(200);
        assertThat(redoc.body().length()).isGreaterThan(500_000);
        assertThat(server.get("/static/js/api-docs.js", null).body()).contains("Redoc.init");
    }
}
