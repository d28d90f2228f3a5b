package org.kinora.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.javalin.jetty.JettyPrecompressingResourceHandler;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;
import org.kinora.core.common.KinoraException;
import org.kinora.server.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: Javalin on virtual threads, JSON errors everywhere, a latency timer per route. */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    private static final String STARTED = "kinora.started";

    private final Javalin app;
    private final Map<String, Set<String>> registered = new ConcurrentSkipListMap<>();

    public WebServer(ObjectMapper json, Metrics metrics, List<Routes> routes) {
        // Static files are compressed once and kept in memory; the API reference's Redoc bundle (2.3 MB) is the largest.
        JettyPrecompressingResourceHandler.resourceMaxSize = Math.max(JettyPrecompressingResourceHandler.resourceMaxSize, 4 * 1024 * 1024);
        this.app = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.http.defaultContentType = "application/json";
            config.http.maxRequestSize = 1_000_000; // JSON bodies only; uploads stream and are not buffered
            // Every endpoint as Javalin has it, whoever registered it: the API document test compares against this.
            config.events.handlerAdded(h -> {
                if (h.getHttpMethod().isHttpMethod()) {
                    registered.put(h.getHttpMethod() + " " + h.getPath(), h.getRoles().stream().map(Object::toString).collect(Collectors.toSet()));
                }
            });
            config.staticFiles.add(files -> { // the web pages' scripts, styles and the player libraries
                files.hostedPath = "/static";
                files.directory = "/web/static";
                files.location = Location.CLASSPATH;
                files.precompress = true;
                files.headers = Map.of("Cache-Control", "public, max-age=3600", "X-Content-Type-Options", "nosniff");
            });
        });
        app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        app.after(ctx -> {
            Long started = ctx.attribute(STARTED);
            if (started == null) return;
            long nanos = System.nanoTime() - started;
            String route = ctx.endpointHandlerPath();
            int status = ctx.statusCode();
            metrics.httpRequest(ctx.method().name(), route.isEmpty() ? "unmatched" : route, status, nanos);
            if (status >= 500) log.warn("{} {} -> {} in {} ms", ctx.method(), ctx.path(), status, nanos / 1_000_000);
            else if (log.isDebugEnabled()) log.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(), status, nanos / 1_000_000);
        });
        app.exception(KinoraException.class, (e, ctx) -> {
            ctx.status(ApiError.status(e.kind()));
            // Rate limits and backlogs say when to come back (RFC 9110 Retry-After, in seconds).
            Object retry = e.details().get("retry_after_seconds");
            if (retry != null) ctx.header("Retry-After", retry.toString());
            if (ctx.method() != HandlerType.HEAD) ctx.json(ApiError.of(e));
        });
        app.exception(Exception.class, (e, ctx) -> {
            if (isInvalidText(e)) { // a NUL or broken UTF-8 the checks before the database did not catch
                ctx.status(400);
                if (ctx.method() != HandlerType.HEAD) {
                    ctx.json(new ApiError("invalid_character",
                            "The request holds text the database cannot store (a NUL character or invalid UTF-8); remove it.", Map.of()));
                }
                return;
            }
            if (org.kinora.adapters.postgres.PostgresDatabase.isUnreachable(e)) {
                // Writes and sign-ins cannot work without the database; playback goes on (LastKnownVideos).
                log.warn("{} {}: the database is unreachable: {}", ctx.method(), ctx.path(), e.toString());
                ctx.status(503);
                ctx.header("Retry-After", "5");
                if (ctx.method() != HandlerType.HEAD) {
                    ctx.json(new ApiError("database_unavailable",
                            "The database is unreachable for the moment; try again in a few seconds (playback goes on).", Map.of()));
                }
                return;
            }
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500);
            if (ctx.method() != HandlerType.HEAD) {
                ctx.json(new ApiError("internal_error", "Something went wrong on the server; it has been logged.", Map.of()));
            }
        });
        app.error(404, ctx -> {
            if (ctx.method() != HandlerType.HEAD && !hasOwnBody(ctx)) {
                ctx.json(new ApiError("not_found", "No such endpoint: " + ctx.method() + " " + ctx.path(), Map.of()));
            }
        });
        app.error(405, ctx -> {
            if (ctx.result() == null && ctx.method() != HandlerType.HEAD) {
                ctx.json(new ApiError("method_not_allowed", ctx.method() + " is not allowed on " + ctx.path(), Map.of()));
            }
        });
        Api api = new Api(app);
        for (Routes r : routes) r.register(api.area(r.getClass().getSimpleName().replaceFirst("Routes$|Filter$", "")));
    }

    /**
     * Text PostgreSQL cannot store, anywhere in the causes: the server's "invalid byte sequence for
     * encoding" (SQLSTATE 22021) or the driver's "Zero bytes may not occur in string parameters" (22023).
     */
    static boolean isInvalidText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && ("22021".equals(sql.getSQLState())
                    || ("22023".equals(sql.getSQLState()) && String.valueOf(sql.getMessage()).contains("Zero bytes")))) return true;
        }
        return false;
    }

    /** A 404 an endpoint wrote itself (JSON error or HTML page), not Javalin's plain-text "not found". */
    private static boolean hasOwnBody(io.javalin.http.Context ctx) {
        String type = ctx.res().getContentType();
        return ctx.result() != null && type != null && (type.startsWith("application/json") || type.startsWith("text/html"));
    }

    public void start(String host, int port) {
        app.start(host, port);
    }

    /** Every endpoint registered with Javalin (not filters), "METHOD path", with the names of its route roles. */
    public Map<String, Set<String>> registeredEndpoints() {
        return Map.copyOf(registered);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
