package org.kinora.core.playlist;

import java.time.Instant;
import org.kinora.core.video.Privacy;

/** A user's ordered list of videos; each user also has one built-in, private "Watch later". */
public record Playlist(
        String id,
        String ownerId,
        Kind kind,
        String title,
        String description,
        Privacy privacy,
        int itemCount,
        Instant createdAt,
        Instant updatedAt) {

    public enum Kind { REGULAR, WATCH_LATER }

    public boolean isOwnedBy(String userId) { return ownerId.equals(userId); }

    /** Unlisted playlists are seen by whoever has the link, like unlisted videos. */
    public boolean isVisibleTo(String viewerId) {
        return privacy != Privacy.PRIVATE || isOwnedBy(viewerId);
    }
}
