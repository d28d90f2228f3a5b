package org.kinora.core.channel;

import java.time.Instant;

/**
 * A user's public face. Its id is the owner's user id: every user has exactly one channel.
 * {@code avatarFile}/{@code bannerFile} name stored images (null when none was uploaded); a new
 * upload gets a new name, so the URLs can be cached forever.
 */
public record Channel(
        String id,
        String handle,
        String displayName,
        String description,
        String avatarFile,
        String bannerFile,
        long subscriberCount,
        Instant createdAt,
        Instant updatedAt) {

    public boolean isOwnedBy(String userId) { return id.equals(userId); }
}
