package org.kinora.core.video;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: where videos and their renditions are stored. */
public interface VideoRepository {
    void insert(Video video);

    /** Finds a video, deleted ones included (callers decide what a deletion means to them). */
    Optional<Video> find(String id);

    void updateDetails(String id, String title, String description, Privacy privacy);

    /** Replaces the video's tags (already normalised by {@link Tags}). */
    void updateTags(String id, java.util.List<String> tags);

    /** The videos with these ids that exist (deleted ones included), in no particular order. */
    default List<Video> findMany(java.util.Collection<String> ids) {
        return ids.stream().map(this::find).flatMap(Optional::stream).toList();
    }

    void updateStatus(String id, VideoStatus status, int progress, String failureReason);

    /** Sets the 0-100 progress; ignored once the video is processed ({@link #markProcessed}), so a late report cannot lower its 100. */
    void updateProgress(String id, int progress);

    /**
     * Marks the video fully processed (ready, 100 %) unless it already is, in one conditional
     * update: of several finishers calling it at once, exactly one gets true, and only that one
     * announces it (in the same transaction). Not for a deleted video.
     *
     * @return whether this call made the change
     */
    boolean markProcessed(String id);

    /**
     * Records that the video's pictures changed (a chosen thumbnail): moves {@code updated_at},
     * which names the poster's revision in its URL ({@code Video#posterRevision}). Called after the
     * new poster is stored, so a new URL never serves the old picture.
     */
    void markPicturesChanged(String id);

    void updateSourceInfo(String id, double durationSeconds, int width, int height);

    /** Marks the video playable; the first call sets {@code published_at}. */
    void markReady(String id);

    void markDeleted(String id, Instant at);

    /** Public, ready, not deleted; newest first; strictly after the (publishedAt, id) cursor when given. */
    List<Video> listPublicReady(Optional<Cursor> after, int limit);

    List<Video> listByOwner(String ownerId, int limit);

    /** A channel's page: its public, ready, not deleted videos, newest first, after the cursor. */
    List<Video> listPublicReadyByOwner(String ownerId, Optional<Cursor> after, int limit);

    void upsertRendition(Rendition rendition);

    /** Removes one rendition's row (e.g. a copy of the source once the ladder replaces it); nothing if absent. */
    void deleteRendition(String videoId, String name);

    List<Rendition> renditions(String videoId);

    /** Renditions of several videos in one query (listings); videos without any are absent. */
    java.util.Map<String, List<Rendition>> renditions(java.util.Collection<String> videoIds);

    /** Position in a newest-first listing. */
    record Cursor(Instant publishedAt, String id) {}
}
