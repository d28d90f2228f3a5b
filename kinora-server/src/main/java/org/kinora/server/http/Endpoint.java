package org.kinora.server.http;

import io.javalin.http.HandlerType;

/**
 * One declared route: registered with Javalin and described in {@code /api/v1/openapi.json}
 * from this same record, so the document cannot drift from what is served.
 *
 * @param area   the group the API reference shows it in (the Routes class it comes from)
 * @param events a server-sent event stream rather than one response
 */
public record Endpoint(HandlerType method, String path, Doc doc, String area, boolean events) {
    public Endpoint {
        boolean mutating = method == HandlerType.POST || method == HandlerType.PUT || method == HandlerType.PATCH
                || method == HandlerType.DELETE;
        if (!mutating && (doc.roles().contains(ApiRole.WRITE_LIMITED) || doc.roles().contains(ApiRole.IDEMPOTENT))) {
            throw new IllegalArgumentException(method + " " + path + " changes nothing; WRITE_LIMITED and IDEMPOTENT are for POST, PUT, PATCH and DELETE");
        }
    }
}
