package org.kinora.core.video;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading and managing videos with their access rules. */
public final class VideoService {
    private static final Logger log = LoggerFactory.getLogger(VideoService.class);
    public static final int MAX_PAGE = 100;

    private final VideoRepository videos;
    private final BlobStore blobs;
    private final Transactions tx;
    private final EventLog events;
    private final Clock clock;
    private final VideoGate gate;

    public VideoService(VideoRepository videos, BlobStore blobs, Transactions tx, EventLog events, Clock clock) {
        this(videos, blobs, tx, events, clock, VideoGate.OPEN);
    }

    public VideoService(VideoRepository videos, BlobStore blobs, Transactions tx, EventLog events, Clock clock, VideoGate gate) {
        this.gate = gate;
        this.videos = videos;
        this.blobs = blobs;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    /** The video as {@code viewerId} (null: anonymous) may see it; 404 when they may not. */
    public Video visibleVideo(String id, String viewerId) {
        if (!Ids.looksValid(id)) throw KinoraException.notFound("Video");
        Video video = videos.find(id).filter(v -> v.isVisibleTo(viewerId))
                .orElseThrow(() -> KinoraException.notFound("Video"));
        gate.check(video, viewerId);
        return video;
    }

    /** The video whatever its state or privacy (moderation reads what it acts on); empty when it does not exist. */
    public Optional<Video> anyState(String id) {
        return Ids.looksValid(id) ? videos.find(id) : Optional.empty();
    }

    /** The video whatever its state (deleted included), for work done on the system's behalf, not a viewer's. */
    public Optional<Video> find(String id) {
        return Ids.looksValid(id) ? videos.find(id) : Optional.empty();
    }

    public List<Rendition> renditions(String videoId) {
        return videos.renditions(videoId);
    }

    public Map<String, List<Rendition>> renditions(java.util.Collection<String> videoIds) {
        return videoIds.isEmpty() ? Map.of() : videos.renditions(videoIds);
    }

    public List<Video> listPublic(Optional<VideoRepository.Cursor> after, int limit) {
        return videos.listPublicReady(after, Math.max(1, Math.min(limit, MAX_PAGE)));
    }

    public List<Video> listChannel(String ownerId, Optional<VideoRepository.Cursor> after, int limit) {
        return videos.listPublicReadyByOwner(ownerId, after, Math.max(1, Math.min(limit, MAX_PAGE)));
    }

    public List<Video> listOwn(String ownerId) {
        return videos.listByOwner(ownerId, 500);
    }

    /** Owner edits; {@code null} fields stay as they are. */
    public Video update(String id, String requesterId, String title, String description, Privacy privacy) {
        return update(id, requesterId, title, description, privacy, null);
    }

    /** Owner edits including tags (validated by {@link Tags}); {@code null} fields stay as they are. */
    public Video update(String id, String requesterId, String title, String description, Privacy privacy, List<String> tags) {
        Video video = ownedVideo(id, requesterId);
        if (title != null && (title.isBlank() || title.length() > 200)) {
            throw KinoraException.badRequest("invalid_title", "Title must be 1–200 characters.");
        }
        if (description != null && description.length() > 10_000) {
            throw KinoraException.badRequest("invalid_description", "Description is longer than 10000 characters.");
        }
        List<String> newTags = tags == null ? null : Tags.normalise(tags);
        Privacy newPrivacy = privacy == null ? video.privacy() : privacy;
        tx.inTransaction(() -> {
            if (newTags != null) videos.updateTags(id, newTags);
            videos.updateDetails(id,
                    title == null ? video.title() : title.trim(),
                    description == null ? video.description() : description,
                    newPrivacy);
            events.append(new DomainEvent.VideoUpdated(id, requesterId, newPrivacy, video.privacy()), clock.now());
        });
        return videos.find(id).orElseThrow();
    }

    /** Stops serving at once (the origin checks the deletion on every request), then frees the storage. */
    public void delete(String id, String requesterId) {
        ownedVideo(id, requesterId);
        tx.inTransaction(() -> {
            videos.markDeleted(id, clock.now());
            events.append(new DomainEvent.VideoDeleted(id, requesterId), clock.now());
        });
        try {
            blobs.deletePrefix(BlobKeys.videoPrefix(id));
            blobs.deletePrefix(BlobKeys.originalsPrefix(id));
        } catch (IOException e) {
            // The video no longer serves; leftover files are garbage, not a failure for the owner.
            log.warn("video {} deleted but its files could not all be removed: {}", id, e.toString());
        }
    }

    private Video ownedVideo(String id, String requesterId) {
        Video video = visibleVideo(id, requesterId);
        if (!video.isOwnedBy(requesterId)) {
            throw KinoraException.forbidden("Only the video's owner may change or delete it.");
        }
        return video;
    }
}
