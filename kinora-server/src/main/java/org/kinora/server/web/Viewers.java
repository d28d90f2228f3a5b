package org.kinora.server.web;

import io.javalin.http.Context;
import java.util.Optional;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.account.AccountService;
import org.kinora.server.http.Authenticator;
import org.kinora.server.web.PageRenderer.Viewer;

/** Who is signed in on a page request, with their role (the header links moderators and admins to /admin). */
public record Viewers(Authenticator auth, AccountService accounts, AccountAdminService roles) {
    public Optional<Viewer> of(Context ctx) {
        return auth.sessionUser(ctx).flatMap(accounts::find).map(u -> new Viewer(u.id(), u.username(), roles.role(u.id())));
    }
}
