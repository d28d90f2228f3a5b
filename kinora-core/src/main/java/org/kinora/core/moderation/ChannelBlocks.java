package org.kinora.core.moderation;

import java.util.List;
import java.util.Set;
import org.kinora.core.video.Video;

/**
 * What a viewer blocked: the channels whose videos, comments and notifications they no longer
 * get. Listings ask here with the signed-in viewer (anonymous viewers block nothing) and leave
 * those channels out on the server, so no client has to hide them.
 */
public record ChannelBlocks(BlockRepository store) {
    public static final ChannelBlocks NONE = new ChannelBlocks(null);

    /** The channels {@code viewerId} blocked; empty for an anonymous viewer. One indexed read. */
    public Set<String> of(String viewerId) {
        return viewerId == null || store == null ? Set.of() : store.blockedChannels(viewerId);
    }

    /**
     * {@code videos} without those of channels {@code viewerId} blocked, in order. Applied to a
     * page after its cursor was taken from the unfiltered rows, so paging neither skips nor
     * repeats; a page may then hold fewer items than asked for.
     */
    public List<Video> without(String viewerId, List<Video> videos) {
        if (videos.isEmpty()) return videos;
        Set<String> blocked = of(viewerId);
        return blocked.isEmpty() ? videos : videos.stream().filter(v -> !blocked.contains(v.ownerId())).toList();
    }
}
