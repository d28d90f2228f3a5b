package org.kinora.core.moderation;

import java.time.Instant;

/** What moderation did to one video; {@link #NONE} for a video it never touched. */
public record VideoFlags(String videoId, Instant takenDownAt, String takedownReason, Instant heldAt, String holdReason,
                         boolean ageRestricted, boolean sensitive, CommentMode comments) {
    public static VideoFlags none(String videoId) {
        return new VideoFlags(videoId, null, null, null, null, false, false, CommentMode.ON);
    }

    public boolean takenDown() { return takenDownAt != null; }

    public boolean held() { return heldAt != null; }
}
