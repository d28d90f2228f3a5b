package org.kinora.server.http;

/** One area of the HTTP API declares its endpoints (and filters) in the route table. */
public interface Routes {
    void register(Api app);
}
