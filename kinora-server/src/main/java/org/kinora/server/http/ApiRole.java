package org.kinora.server.http;

import io.javalin.security.RouteRole;

/**
 * What the cross-cutting filters do with a route, declared where the route is (Javalin route
 * roles, read back with {@code ctx.routeRoles()}), instead of path patterns in the filters.
 */
public enum ApiRole implements RouteRole {
    /**
     * Counts against the caller's write budget ({@link WriteRateLimit}). Every mutating API call
     * has it except tus upload requests and play events (they have their own limits) and
     * sign-up/sign-in (no user to count yet; the password hasher is the brake).
     */
    WRITE_LIMITED,
    /**
     * Honours {@code Idempotency-Key} ({@link IdempotencyFilter}). Every mutating API call has it
     * except tus upload requests (tus resumes by offset) and avatar/banner uploads (large bodies).
     */
    IDEMPOTENT,
    /** Needs a signed-in caller (bearer token or session cookie); the handler answers 401 otherwise. Shown in the API document. */
    SIGNED_IN,
    /** Moderators and admins only: 403 for everyone else (checked again by the service). Shown in the API document. */
    MODERATOR,
    /** Admins only: 403 for everyone else (checked again by the service). Shown in the API document. */
    ADMIN,
    /**
     * A server-sent event stream, counted against the caller's open streams ({@link StreamGate}).
     * {@link Api#sse} gives it to every stream it declares; no route declares it by hand.
     */
    EVENT_STREAM,
    /**
     * A write a suspended or terminated account may still make (its appeals): the standing filter
     * lets it through. Without it, a WRITE_LIMITED route refuses such an account.
     */
    ALLOWED_WHILE_SUSPENDED
}
