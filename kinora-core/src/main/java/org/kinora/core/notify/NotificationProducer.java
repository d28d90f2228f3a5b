package org.kinora.core.notify;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.kinora.core.channel.Channel;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.comment.Comment;
import org.kinora.core.comment.CommentRepository;
import org.kinora.core.events.DomainEvent.CommentCreated;
import org.kinora.core.events.DomainEvent.LiveStarted;
import org.kinora.core.events.DomainEvent.VideoFailed;
import org.kinora.core.events.DomainEvent.VideoProcessed;
import org.kinora.core.events.DomainEvent.VideoPublished;
import org.kinora.core.events.DomainEvent.VideoUpdated;
import org.kinora.core.events.EventEnvelope;
import org.kinora.core.events.EventHandler;
import org.kinora.core.events.EventType;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Video;
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
            EventType.VIDEO_UPDATED, EventType.VIDEO_PROCESSED, EventType.VIDEO_FAILED, EventType.LIVE_STARTED);

    private final NotificationService notifications;
    private final CommentRepository comments;
    private final VideoRepository videos;
    private final ChannelService channels;

    public NotificationProducer(NotificationService notifications, CommentRepository comments, VideoRepository videos,
                                ChannelService channels) {
        this.notifications = notifications;
        this.comments = comments;
        this.videos = videos;
        this.channels = channels;
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
            default -> { }
        }
    }

    /** Subscribers hear of a video once, when it is first both playable and public. */
    private void announce(String videoId) {
        Optional<Video> video = live(videoId).filter(v -> v.privacy() == Privacy.PUBLIC && v.publishedAt() != null);
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

    private Optional<Video> live(String videoId) {
        return videos.find(videoId).filter(v -> !v.isDeleted());
    }

    static String snippet(String body) {
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 79) + "…";
    }
}
