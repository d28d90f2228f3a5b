package org.kinora.core.moderation;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** What moderation did to videos, and each account's standing as last computed. */
public interface RestrictionRepository {
    Optional<VideoFlags> flags(String videoId);

    /** The flags of those of {@code videoIds} that moderation touched. */
    Map<String, VideoFlags> flags(Collection<String> videoIds);

    /** Null {@code at} clears the takedown. */
    void setTakedown(String videoId, Instant at, String reason);

    void setHold(String videoId, Instant at, String reason);

    /** Videos waiting for approval, oldest hold first. */
    java.util.List<VideoFlags> heldVideos(int limit);

    /** The held videos of one owner, for their Studio (which says they wait for review and why). */
    java.util.List<VideoFlags> heldVideosOf(String ownerId, int limit);

    void setAgeRestricted(String videoId, boolean on);

    void setSensitive(String videoId, boolean on);

    void setComments(String videoId, CommentMode mode);

    /** Holds a comment for review: its author, the video's owner and moderators see it; nobody else. */
    void holdComment(String commentId, Instant at);

    void releaseComment(String commentId);

    /** Which of these comments are held. */
    java.util.Set<String> heldComments(Collection<String> commentIds);

    /** A video's held comments, oldest first: what its owner approves. */
    java.util.List<String> heldCommentsOf(String videoId, int limit);

    /** The stored standing's frozen, suspended and terminated times (nulls: none). */
    record StoredStanding(Instant frozenUntil, Instant suspendedUntil, Instant terminatedAt) {}

    Optional<StoredStanding> standing(String userId);

    /**
     * Serialises penalty changes of one account until the running transaction ends: two
     * moderators striking at once must each count the other's strike (the second waits).
     */
    void lockStanding(String userId);

    void saveStanding(String userId, StoredStanding standing);
}
