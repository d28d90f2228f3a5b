package org.kinora.server.moderation;

import java.util.List;
import java.util.Optional;
import org.kinora.core.channel.Channel;
import org.kinora.core.channel.ChannelService;
import org.kinora.core.comment.Comment;
import org.kinora.core.comment.CommentRepository;
import org.kinora.core.common.Clock;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventLog;
import org.kinora.core.live.ChatMessage;
import org.kinora.core.live.ChatRepository;
import org.kinora.core.live.LiveChat;
import org.kinora.core.common.LiveBus;
import org.kinora.core.moderation.ItemKind;
import org.kinora.core.moderation.Items;
import org.kinora.core.moderation.RestrictionRepository;
import org.kinora.core.video.VideoService;

/** Reportable items, read from the capabilities that own them, in whatever state they are. */
record ModerationItems(VideoService videos, CommentRepository comments, ChannelService channels, RestrictionRepository restrictions,
                       ChatRepository chat, LiveBus.Topic<LiveChat.Event> chatTopic, EventLog events, Clock clock) implements Items {
    @Override
    public Optional<Item> find(ItemKind kind, String id) {
        return switch (kind) {
            case VIDEO -> videos.anyState(id).filter(v -> !v.isDeleted())
                    .map(v -> new Item(kind, v.id(), v.ownerId(), v.title(), null));
            case COMMENT -> comments.find(id).filter(c -> !c.isDeleted())
                    .map(c -> new Item(kind, c.id(), c.authorId(), c.body(), c.videoId()));
            case CHANNEL -> channels.channels(List.of(id)).values().stream().findFirst()
                    .map(c -> new Item(kind, c.id(), c.id(), name(c), null));
            case LIVE_CHAT -> chatMessage(id).filter(m -> !m.isDeleted())
                    .map(m -> new Item(kind, id, m.authorId(), m.body(), m.liveId()));
            case EMAIL_DOMAIN, ACCOUNT, JOB, JOB_KIND, INSTANCE -> Optional.empty();
        };
    }

    private Optional<ChatMessage> chatMessage(String id) {
        try {
            return chat.find(Long.parseLong(id));
        } catch (NumberFormatException notAChatId) {
            return Optional.empty();
        }
    }

    @Override
    public boolean removeLiveChat(String messageId, String moderatorId) {
        Optional<ChatMessage> m = chatMessage(messageId).filter(x -> !x.isDeleted());
        m.ifPresent(x -> chat.delete(x.id(), moderatorId, clock.now()));
        return m.isPresent();
    }

    /** The same announcement as the streamer's own delete (LiveChat.delete): every viewer's page drops the message. */
    @Override
    public void liveChatRemoved(String messageId) {
        chatMessage(messageId).ifPresent(m -> chatTopic.publish(
                new LiveChat.Event(m.liveId(), "deleted", m.id(), m.authorId(), null, clock.now().toString())));
    }

    private static String name(Channel c) {
        return c.displayName() == null || c.displayName().isBlank() ? "@" + c.handle() : c.displayName();
    }

    /** Runs inside the action's transaction: the comment goes with its counters, and its event with it. */
    @Override
    public void removeComment(String commentId, String moderatorId) {
        Optional<Comment> c = comments.find(commentId);
        if (c.isPresent() && comments.markDeleted(commentId, clock.now())) {
            events.append(new DomainEvent.CommentDeleted(commentId, moderatorId, c.get().videoId()), clock.now());
        }
    }

    /** The privacy stays as it was: the event only makes the search indexer re-read the video (and its withholding). */
    @Override
    public void videoListingChanged(String videoId, String actorId) {
        videos.anyState(videoId).ifPresent(v ->
                events.append(new DomainEvent.VideoUpdated(v.id(), actorId, v.privacy(), v.privacy()), clock.now()));
    }

    @Override
    public void videoReviewed(String videoId, String moderatorId, String ownerId, boolean approved, String reason) {
        events.append(new DomainEvent.VideoReviewed(videoId, moderatorId, ownerId, approved, reason), clock.now());
    }

    @Override
    public void approveComment(String commentId) {
        restrictions.releaseComment(commentId);
    }
}
