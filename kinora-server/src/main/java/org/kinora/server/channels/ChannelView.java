package org.kinora.server.channels;

import java.time.Instant;
import org.kinora.core.channel.Channel;
import org.kinora.core.channel.ChannelService;

/**
 * A channel page's header. {@code subscribed} is null for anonymous callers;
 * {@code videoCount} counts public, ready videos.
 */
public record ChannelView(
        String id,
        String handle,
        String displayName,
        String description,
        String avatarUrl,
        String bannerUrl,
        long subscriberCount,
        Long videoCount,
        Boolean subscribed,
        Instant createdAt) {

    public static ChannelView of(ChannelService.ChannelDetails d) {
        Channel c = d.channel();
        return new ChannelView(c.id(), c.handle(), c.displayName(), c.description(), ChannelImages.url(c.id(), c.avatarFile()),
                ChannelImages.url(c.id(), c.bannerFile()), c.subscriberCount(), d.videoCount(), d.subscribed(), c.createdAt());
    }

    /** In lists (subscriptions), without the per-channel count query. */
    public static ChannelView brief(Channel c, Boolean subscribed) {
        return new ChannelView(c.id(), c.handle(), c.displayName(), c.description(), ChannelImages.url(c.id(), c.avatarFile()),
                ChannelImages.url(c.id(), c.bannerFile()), c.subscriberCount(), null, subscribed, c.createdAt());
    }
}
