package org.kinora.server.notifications;

import org.kinora.adapters.postgres.PgCommentRepository;
import org.kinora.adapters.postgres.PgNotificationRepository;
import org.kinora.core.notify.NotificationHub;
import org.kinora.core.notify.NotificationProducer;
import org.kinora.core.notify.NotificationService;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;

/** Notifications: made from domain events (new comments, published videos...), listed, and pushed live over SSE. */
public record NotificationsFeature(Platform p, SharedServices shared) implements Feature {
    @Override
    public void contribute(Contributions c) {
        var db = p.engines().database();
        var notifications = new NotificationService(new PgNotificationRepository(db), new NotificationHub(p.engines().bus()), db, p.clock());
        c.consume(NotificationProducer.CONSUMER, NotificationProducer.TYPES,
                new NotificationProducer(notifications, new PgCommentRepository(db), p.engines().videos(), shared.channels,
                        shared.restrictions));
        c.routes(new NotificationRoutes(notifications, shared.channels, shared.auth));
    }
}
