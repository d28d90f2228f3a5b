package org.kinora.server.account;

import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.auth.SignInThrottle;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.SharedServices;

/** Accounts: sign-up, tokens and web sessions, "who am I", and admin changes to roles and upload quotas. */
public record AccountsFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        c.routes(new AuthRoutes(shared.accounts, shared.accessTokens, shared.sessions, shared.auth,
                        new SignInThrottle(p.config().security(), p.clock()), shared.accountGate, shared.birthDates),
                new AccountRoutes(shared.accountAdmin, shared.users, shared.channels, shared.auth));
    }
}
