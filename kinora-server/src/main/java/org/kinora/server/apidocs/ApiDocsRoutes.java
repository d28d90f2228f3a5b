package org.kinora.server.apidocs;

import static org.kinora.server.http.Doc.doc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import org.kinora.server.http.Api;
import org.kinora.server.http.Routes;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 document of every route this node serves,
 * built from the route declarations on first request (all routes are registered by then).
 * {@code GET /api/docs}: a readable reference of it (Redoc, bundled under /static/vendor).
 */
public final class ApiDocsRoutes implements Routes {
    /** Like the pages' policy: our own scripts only; Redoc adds inline styles and a worker from a blob. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Kinora API reference</title>
              <link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
            </head>
            <body>
              <div id="redoc" data-spec-url="/api/v1/openapi.json"></div>
              <script src="/static/vendor/redoc/redoc.standalone.js"></script>
              <script type="module" src="/static/js/api-docs.js"></script>
            </body>
            </html>
            """;

    private final ObjectMapper json;
    private final String version;
    private volatile String document;

    public ApiDocsRoutes(ObjectMapper json, String version) {
        this.json = json;
        this.version = version;
    }

    @Override
    public void register(Api app) {
        app.get("/api/v1/openapi.json", doc("This document: every route of the API (OpenAPI 3.1)"), ctx -> openApi(ctx, app));
        app.get("/api/docs", doc("Page: the API reference (reads /api/v1/openapi.json)"), ctx -> {
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.html(PAGE);
        });
    }

    private void openApi(Context ctx, Api app) throws JsonProcessingException {
        String d = document;
        if (d == null) {
            d = json.writerWithDefaultPrettyPrinter().writeValueAsString(new OpenApiDocument(json).build(app.endpoints(), version));
            document = d;
        }
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType("application/json").result(d);
    }
}
