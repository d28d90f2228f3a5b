package org.kinora.server.http;

import io.javalin.Javalin;

/** One area of the HTTP API registers its endpoints. */
public interface Routes {
    void register(Javalin app);
}
