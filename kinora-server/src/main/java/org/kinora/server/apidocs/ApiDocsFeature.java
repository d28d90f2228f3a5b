package org.kinora.server.apidocs;

import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.http.Json;

/** The API's own description: /api/v1/openapi.json from the route declarations, and the reference page /api/docs. */
public final class ApiDocsFeature implements Feature {
    @Override
    public void contribute(Contributions c) {
        String version = ApiDocsFeature.class.getPackage().getImplementationVersion();
        c.routes(new ApiDocsRoutes(Json.mapper(), version == null ? "dev" : version));
    }
}
