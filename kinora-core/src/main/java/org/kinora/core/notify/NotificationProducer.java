package org.kinora.core.notify;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.kinora.core.channel.Channel;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.comment.Comment;
import org.kinora.core.comment.CommentRepository;
import org.kinora.core.common.KinoraException;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.DomainEvent.CommentCreated;
import org.kinora.core.events.DomainEvent.LiveStarted;
import org.kinora.core.events.DomainEvent.VideoFailed;
import org.kinora.core.events.DomainEvent.VideoProcessed;
import org.kinora.core.events.DomainEvent.VideoPublished;
import org.kinora.core.events.DomainEvent.VideoReviewed;
import org.kinora.core.events.DomainEvent.VideoUpdated;
import org.kinora.core.events.EventEnvelope;
import org.kinora.core.events.EventHandler;
import org.kinora.core.events.EventType;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoGate;
import org.kinora.core.video.VideoRepository;

/**
 * Turns domain events into notifications. Delivery is at least once; every notification has a
 * dedup key derived from the event's subject, so a redelivered event creates nothing new.
 *
 * <p>New-video notifications fan out on write (one row per subscriber, one INSERT…SELECT), unlike
 * the feed: a notification is a message that must stay in the inbox even if the user unsubscribes
 * later, and the list/unread count must be one cheap index read per page view.
 */
public final class NotificationProducer implements EventHandler {
    public static final String CONSUMER = "notifications";
    public static final Set<EventType> TYPES = Set.of(EventType.COMMENT_CREATED, EventType.VIDEO_PUBLISHED,
            EventType.VIDEO_UPDATED, EventType.VIDEO_PROCESSED, EventType.VIDEO_FAILED, EventType.LIVE_STARTED,
            EventType.VIDEO_REVIEWED);

    private final NotificationService notifications;
    private final CommentRepository comments;
    private final VideoRepository videos;
    private final ChannelService channels;
    private final VideoGate gate;

    /** {@code gate}: moderation's say (a held or taken-down video is announced to nobody). */
    public NotificationProducer(NotificationService notifications, CommentRepository comments, VideoRepository videos,
                                ChannelService channels, VideoGate gate) {
        this.notifications = notifications;
        this.comments = comments;
        this.videos = videos;
        this.channels = channels;
        this.gate = gate;
    }

    @Override
    public void handle(EventEnvelope e) {
        switch (e.event()) {
            case CommentCreated c -> comment(c);
            case VideoPublished p -> announce(p.videoId());
            case VideoUpdated u -> {
                if (u.madePublic()) announce(u.videoId());
            }
            case VideoProcessed p -> live(p.videoId()).ifPresent(v -> notifications.notify(v.ownerId(),
                    new Notification.Draft(Notification.VIDEO_READY, null, v.id(), null,
                            "Your video \"" + v.title() + "\" has finished processing: every quality is ready.", "processed:" + v.id())));
            case VideoFailed f -> live(f.videoId()).ifPresent(v -> notifications.notify(v.ownerId(),
                    new Notification.Draft(Notification.VIDEO_FAILED, null, v.id(), null,
                            "Your video \"" + v.title() + "\" could not be processed: " + f.reason(),
                            "failed:" + v.id() + ":" + e.id())));
            case LiveStarted l -> {
                String name = channels.channels(List.of(l.ownerId())).values().stream().findFirst().map(Channel::displayName).orElse("A channel");
                notifications.notifySubscribers(l.ownerId(), new Notification.Draft(Notification.LIVE_STARTED, l.ownerId(), l.liveId(), null,
                        name + " is live: \"" + l.title() + "\"", "live:" + l.liveId()));
            }
            case VideoReviewed r -> reviewed(r, e.id());
            default -> { }
        }
    }

    /**
     * The creator hears the decision; on approval the subscribers hear of the video now, if it is
     * already playable and public (if not, they hear of it when it is: VideoPublished or the
     * scheduled publication's VideoUpdated, which find the hold gone). The dedup key is the same
     * as every other announcement of the video, so they hear of it once.
     */
    private void reviewed(DomainEvent.VideoReviewed r, String eventId) {
        Optional<Video> video = live(r.videoId());
        if (video.isEmpty()) return;
        Video v = video.get();
        String message = r.approved()
                ? "Your video \"" + v.title() + "\" was reviewed and approved" + (v.privacy() == Privacy.PUBLIC ? ": it is public now." : ".")
                : "Your video \"" + v.title() + "\" was taken down: " + r.reason() + " See Studio to appeal.";
        notifications.notify(v.ownerId(), new Notification.Draft(r.approved() ? Notification.VIDEO_APPROVED : Notification.VIDEO_TAKEN_DOWN,
                null, v.id(), null, message, "reviewed:" + v.id() + ":" + eventId));
        if (r.approved()) announce(v.id());
    }

    /**
     * Subscribers hear of a video once, when it is first playable, public and not withheld by
     * moderation (held for review, taken down): a held video is announced on its approval instead.
     */
    private void announce(String videoId) {
        Optional<Video> video = live(videoId).filter(v -> v.privacy() == Privacy.PUBLIC && v.publishedAt() != null)
                .filter(this::anyoneMaySee);
        if (video.isEmpty()) return;
        Video v = video.get();
        String name = channels.channels(List.of(v.ownerId())).values().stream().findFirst().map(Channel::displayName).orElse("A channel");
        notifications.notifySubscribers(v.ownerId(), new Notification.Draft(Notification.NEW_VIDEO, v.ownerId(), v.id(), null,
                name + " uploaded \"" + v.title() + "\"", "video:" + v.id()));
    }

    private void comment(CommentCreated e) {
        Optional<Comment> found = comments.find(e.commentId()).filter(c -> !c.isDeleted());
        if (found.isEmpty()) return; // deleted before we got to it: nothing to tell
        Comment c = found.get();
        String title = e.videoTitle();
        String snippet = snippet(c.body());
        String parentAuthor = e.parentAuthorId();
        String owner = e.videoOwnerId();
        if (parentAuthor != null) {
            notifications.notify(parentAuthor, new Notification.Draft(Notification.REPLY, c.authorId(), c.videoId(), c.id(),
                    "Reply to your comment on \"" + title + "\": " + snippet, "comment:" + c.id()));
        }
        if (owner != null && !owner.equals(parentAuthor)) {
            notifications.notify(owner, new Notification.Draft(Notification.COMMENT, c.authorId(), c.videoId(), c.id(),
                    "New comment on \"" + title + "\": " + snippet, "comment:" + c.id()));
        }
    }

    private boolean anyoneMaySee(Video v) {
        try {
            gate.check(v, null);
            return true;
        } catch (KinoraException withheld) {
            return false;
        }
    }

    private Optional<Video> live(String videoId) {
        return videos.find(videoId).filter(v -> !v.isDeleted());
    }

    static String snippet(String body) {
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 79) + "…";
    }
}
