package org.kinora.server.privacy;

import java.time.Duration;
import org.kinora.adapters.postgres.PgCommentRepository;
import org.kinora.adapters.postgres.PgPersonalData;
import org.kinora.core.account.AccountDeletion;
import org.kinora.core.common.RateLimiter;
import org.kinora.core.moderation.AuditTrail;
import org.kinora.server.auth.Argon2PasswordHasher;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/** A person's own data: deleting the account (the policy is in {@link AccountDeletion}) and exporting it. */
public record AccountDataFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        var db = p.engines().database();
        var data = new PgPersonalData(db);
        var deletion = new AccountDeletion(shared.users, new Argon2PasswordHasher(), shared.accountAdmin, shared.videos,
                new PgCommentRepository(db), data, p.engines().blobs(), p.engines().events(), db, AuditTrail.into(new org.kinora.adapters.postgres.PgAuditLog(p.engines().database()), p.clock()), p.clock(),
                shared.sessions::revokeAll);
        c.routes(new AccountDataRoutes(deletion, data, p.engines().blobs(), shared.auth, RateLimiter.perHour("export", 6, 3, p.clock())));
    }
}
