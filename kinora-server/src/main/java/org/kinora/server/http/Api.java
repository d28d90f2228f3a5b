package org.kinora.server.http;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The route table the {@link Routes} register into: each endpoint is declared once, with a
 * {@link Doc} (summary, {@link ApiRole roles}, request body), and that declaration both registers it with Javalin and
 * describes it in the OpenAPI document. Filters (before/after handlers, error pages) pass
 * straight through to Javalin; they are not endpoints.
 */
public final class Api {
    private final Javalin app;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private String area = "";

    Api(Javalin app) {
        this.app = app;
    }

    /** The group the following declarations are shown in. */
    Api area(String name) {
        this.area = name;
        return this;
    }

    /** Every endpoint declared so far (a live view: the document is built after all routes registered). */
    public List<Endpoint> endpoints() {
        return Collections.unmodifiableList(endpoints);
    }

    public void get(String path, Doc doc, Handler handler) { add(HandlerType.GET, path, doc, handler); }

    public void head(String path, Doc doc, Handler handler) { add(HandlerType.HEAD, path, doc, handler); }

    public void options(String path, Doc doc, Handler handler) { add(HandlerType.OPTIONS, path, doc, handler); }

    public void post(String path, Doc doc, Handler handler) { add(HandlerType.POST, path, doc, handler); }

    public void put(String path, Doc doc, Handler handler) { add(HandlerType.PUT, path, doc, handler); }

    public void patch(String path, Doc doc, Handler handler) { add(HandlerType.PATCH, path, doc, handler); }

    public void delete(String path, Doc doc, Handler handler) { add(HandlerType.DELETE, path, doc, handler); }

    /** A server-sent event stream (GET), with the role {@link ApiRole#EVENT_STREAM} besides the declared ones. */
    public void sse(String path, Doc doc, Consumer<SseClient> client) {
        endpoints.add(new Endpoint(HandlerType.GET, path, doc, area, true));
        app.sse(path, client, java.util.stream.Stream.concat(doc.roles().stream(), java.util.stream.Stream.of(ApiRole.EVENT_STREAM))
                .toArray(ApiRole[]::new));
    }

    private void add(HandlerType method, String path, Doc doc, Handler handler) {
        endpoints.add(new Endpoint(method, path, doc, area, false));
        app.addHttpHandler(method, path, handler, doc.roles().toArray(ApiRole[]::new));
    }

    public void before(String path, Handler handler) { app.before(path, handler); }

    /** Runs before every request, matched or not. */
    public void before(Handler handler) { app.before(handler); }

    public void after(String path, Handler handler) { app.after(path, handler); }

    /** Runs before a matched endpoint, where {@code ctx.routeRoles()} holds its roles. */
    public void beforeMatched(Handler handler) { app.beforeMatched(handler); }

    /** Runs after a matched endpoint, also when it threw (its error response is already written). */
    public void afterMatched(Handler handler) { app.afterMatched(handler); }

    public void error(int status, String contentType, Handler handler) { app.error(status, contentType, handler); }
}
