package org.kinora.core.details;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kinora.core.caption.CaptionLanguage;
import org.kinora.core.common.Clock;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Studio details of a video (category, language, licence, chapters, scheduled publication) and
 * its chapters as viewers see them. A scheduled video is kept private until its time; then
 * {@link #publishDue} makes it public through {@link VideoService#update}, which announces the
 * change like any owner edit (search, subscribers' feeds).
 */
public final class VideoDetailsService {
    private static final Logger log = LoggerFactory.getLogger(VideoDetailsService.class);

    private final VideoService videos;
    private final VideoDetailsRepository details;
    private final Transactions tx;
    private final EventLog events;
    private final Clock clock;

    public VideoDetailsService(VideoService videos, VideoDetailsRepository details, Transactions tx, EventLog events, Clock clock) {
        this.videos = videos;
        this.details = details;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    /** An edit: null leaves a field as it is, an empty string clears it ({@code publishAt}: "" unschedules). */
    public record Patch(String category, String language, String licence, String chapters, String publishAt) {}

    public VideoDetails details(String videoId, String viewerId) {
        Video video = videos.visibleVideo(videoId, viewerId);
        VideoDetails d = details.find(video.id()).orElse(VideoDetails.none(video.id()));
        // The schedule is the owner's business.
        return video.isOwnedBy(viewerId) ? d : new VideoDetails(d.videoId(), d.category(), d.language(), d.licence(), d.chapters(), null);
    }

    /** The chapters viewers see: typed in Studio, else the description's timestamps; none past the end. */
    public List<Chapter> chapters(String videoId, String viewerId) {
        Video video = videos.visibleVideo(videoId, viewerId);
        Optional<VideoDetails> d = details.find(video.id());
        List<Chapter> chapters = d.map(VideoDetails::chapters).filter(c -> !c.isBlank())
                .map(Chapters::fromDescription)
                .orElseGet(() -> Chapters.fromDescription(video.description()));
        return Chapters.within(chapters, video.durationSeconds());
    }

    public Video video(String videoId, String viewerId) {
        return videos.visibleVideo(videoId, viewerId);
    }

    public VideoDetails update(String videoId, String userId, Patch p) {
        Video video = videos.visibleVideo(videoId, userId);
        if (!video.isOwnedBy(userId)) throw KinoraException.forbidden("Only the video's owner may change its details.");
        VideoDetails old = details.find(videoId).orElse(VideoDetails.none(videoId));
        String category = pick(p.category(), old.category(), c -> {
            String v = c.strip().toLowerCase(java.util.Locale.ROOT);
            if (!VideoDetails.CATEGORIES.contains(v)) {
                throw KinoraException.badRequest("invalid_category", "category must be one of " + String.join(", ", VideoDetails.CATEGORIES) + ".");
            }
            return v;
        });
        String language = pick(p.language(), old.language(), CaptionLanguage::normalise);
        String licence = pick(p.licence(), old.licence(), l -> {
            String v = l.strip().toLowerCase(java.util.Locale.ROOT);
            if (!VideoDetails.LICENCES.contains(v)) {
                throw KinoraException.badRequest("invalid_licence", "licence must be one of " + String.join(", ", VideoDetails.LICENCES) + ".");
            }
            return v;
        });
        String chapters = pick(p.chapters(), old.chapters(), c -> {
            Chapters.parseStrict(c); // refuses, with the reason, what viewers would not see as chapters
            return c.strip();
        });
        Instant publishAt = old.publishAt();
        if (p.publishAt() != null) publishAt = p.publishAt().isBlank() ? null : parseFuture(p.publishAt());
        VideoDetails updated = new VideoDetails(videoId, category, language, licence, chapters, publishAt);
        boolean hide = publishAt != null && video.privacy() == Privacy.PUBLIC;
        tx.inTransaction(() -> {
            details.save(updated);
            // Scheduled means not public yet: a public video goes private until its time.
            if (hide) videos.update(videoId, userId, null, null, Privacy.PRIVATE);
            // Search re-reads the video: category, language and chapters are indexed.
            else events.append(new DomainEvent.VideoUpdated(videoId, userId, video.privacy(), video.privacy()), clock.now());
        });
        return updated;
    }

    private Instant parseFuture(String s) {
        Instant at;
        try {
            at = Instant.parse(s.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw KinoraException.badRequest("invalid_publish_at", "publish_at must be a time like 2026-12-24T18:00:00Z.");
        }
        if (!at.isAfter(clock.now())) throw KinoraException.badRequest("invalid_publish_at", "publish_at must be in the future.");
        return at;
    }

    /** Makes every video whose time has come public; returns how many. Run by a scheduled task. */
    public int publishDue() {
        Instant now = clock.now();
        int published = 0;
        for (String id : details.due(now, 100)) {
            Optional<Video> video = videos.find(id);
            Optional<Instant> at = details.find(id).map(VideoDetails::publishAt);
            if (video.isEmpty() || at.isEmpty()) continue;
            if (video.get().isDeleted()) {
                details.clearSchedule(id, at.get());
                continue;
            }
            // The schedule is cleared in the same transaction as the privacy change: a crash
            // between them cannot publish twice or leave a due schedule behind.
            boolean done;
            try {
                done = tx.inTransaction(() -> {
                    if (!details.clearSchedule(id, at.get())) return false;
                    videos.update(id, video.get().ownerId(), null, null, Privacy.PUBLIC);
                    return true;
                });
            } catch (KinoraException refused) {
                // Moderation withholds it from its owner too (taken down, channel terminated): it cannot
                // be published, and left due it would be refused again on every run, ahead of the
                // videos due after it. The schedule goes; the owner publishes by hand if an appeal restores it.
                details.clearSchedule(id, at.get());
                log.warn("video {} scheduled for {} not published: {}", id, at.get(), refused.getMessage());
                continue;
            }
            if (done) {
                published++;
                log.info("video {} published as scheduled for {}", id, at.get());
            }
        }
        return published;
    }

    private static String pick(String patch, String old, java.util.function.UnaryOperator<String> validate) {
        if (patch == null) return old;
        if (patch.isBlank()) return null;
        return validate.apply(patch);
    }
}
