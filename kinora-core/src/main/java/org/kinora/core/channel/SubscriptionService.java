package org.kinora.core.channel;

import java.util.List;
import java.util.Optional;
import org.kinora.core.common.Clock;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoRepository;

/**
 * Following channels, and the subscriptions feed.
 *
 * <p>The feed is built on read: one query walks the user's subscriptions and, per channel, the
 * few newest entries of a partial index of public ready videos, then merges them. Fan-out on write
 * (a feed row per subscriber per upload) would make one upload of a channel with a million
 * followers a million inserts, and every privacy change or deletion would have to chase those
 * rows — yet a video made private must vanish from feeds at once. Reading costs one index probe
 * per followed channel, bounded by {@link #MAX_SUBSCRIPTIONS}.
 */
public final class SubscriptionService {
    public static final int MAX_SUBSCRIPTIONS = 2000;

    private final SubscriptionRepository subscriptions;
    private final ChannelService channels;
    private final Transactions tx;
    private final EventLog events;
    private final Clock clock;

    public SubscriptionService(SubscriptionRepository subscriptions, ChannelService channels, Transactions tx, EventLog events,
                               Clock clock) {
        this.tx = tx;
        this.events = events;
        this.subscriptions = subscriptions;
        this.channels = channels;
        this.clock = clock;
    }

    /** Idempotent; returns the channel with its count afterwards. */
    public Channel subscribe(String userId, String channelRef) {
        Channel c = channels.channel(channelRef);
        if (c.isOwnedBy(userId)) {
            throw KinoraException.badRequest("cannot_subscribe_to_self", "You cannot subscribe to your own channel.");
        }
        if (!subscriptions.isSubscribed(userId, c.id()) && subscriptions.count(userId) >= MAX_SUBSCRIPTIONS) {
            throw KinoraException.conflict("too_many_subscriptions",
                    "You follow " + MAX_SUBSCRIPTIONS + " channels, the most allowed; unsubscribe from some first.");
        }
        tx.inTransaction(() -> {
            if (subscriptions.subscribe(userId, c.id(), clock.now())) {
                events.append(new DomainEvent.ChannelSubscribed(c.id(), userId), clock.now());
            }
        });
        return channels.channel(c.id());
    }

    /** Idempotent. */
    public Channel unsubscribe(String userId, String channelRef) {
        Channel c = channels.channel(channelRef);
        tx.inTransaction(() -> {
            if (subscriptions.unsubscribe(userId, c.id())) {
                events.append(new DomainEvent.ChannelUnsubscribed(c.id(), userId), clock.now());
            }
        });
        return channels.channel(c.id());
    }

    public List<Subscription> subscriptions(String userId, Optional<Subscription.Cursor> after, int limit) {
        return subscriptions.subscriptions(userId, after, limit);
    }

    public List<Video> feed(String userId, Optional<VideoRepository.Cursor> after, int limit) {
        return subscriptions.feed(userId, after, limit);
    }
}
