package org.kinora.server.channels;

import org.kinora.core.channel.Channel;

/**
 * A channel as shown beside a video or a comment: enough to render a name, an avatar and a link.
 * {@code name} repeats {@code displayName} for the pages written against the first video JSON.
 */
public record ChannelSummary(String id, String handle, String name, String displayName, String avatarUrl) {

    public static ChannelSummary of(Channel c) {
        return c == null ? null : new ChannelSummary(c.id(), c.handle(), c.displayName(), c.displayName(),
                ChannelImages.url(c.id(), c.avatarFile()));
    }
}
