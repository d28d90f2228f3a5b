package org.kinora.core.live;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.account.AccountAdminService;
import org.kinora.core.common.Clock;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.LiveBus;
import org.kinora.core.common.RateLimiter;

/**
 * A live's chat: signed-in viewers write while the live runs; every viewer on every node hears
 * it over the {@link LiveBus} (Redis when scaled out), and the messages stay with the live (and its
 * replay). Writing is rate limited per user, slow mode spaces one user's messages, and the streamer
 * and moderators delete messages and time users out.
 */
public final class LiveChat {
    public static final int MAX_BODY = 500;
    public static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    /** What the bus carries: a new message or a deletion, for one live. */
    public record Event(String liveId, String kind, long messageId, String authorId, String body, String at) {}

    private final ChatRepository chat;
    private final LiveService lives;
    private final AccountAdminService accounts;
    private final LiveBus.Topic<Event> topic;
    private final RateLimiter limiter;
    private final Clock clock;

    public LiveChat(ChatRepository chat, LiveService lives, AccountAdminService accounts, LiveBus bus, int messagesPerMinute, Clock clock) {
        this.chat = chat;
        this.lives = lives;
        this.accounts = accounts;
        this.topic = topic(bus);
        this.limiter = new RateLimiter("live chat messages", messagesPerMinute, Math.max(1, messagesPerMinute / 4), clock);
        this.clock = clock;
    }

    public LiveBus.Topic<Event> topic() { return topic; }

    /** The chat's topic on {@code bus}: moderation announces a message it removed there too. */
    public static LiveBus.Topic<Event> topic(LiveBus bus) {
        return bus.topic("live-chat", Event.class);
    }

    public ChatMessage post(String liveId, String userId, String body) {
        LiveSession live = live(liveId);
        if (live.isUpcoming()) throw KinoraException.conflict("live_not_started", "This live has not started; its chat opens when it does.");
        if (!live.isLive()) throw KinoraException.conflict("live_ended", "This live has ended; its chat is read-only.");
        String text = body == null ? "" : body.strip();
        if (text.isEmpty()) throw KinoraException.badRequest("empty_message", "Write something first.");
        if (text.length() > MAX_BODY) throw KinoraException.badRequest("message_too_long", "A chat message is at most " + MAX_BODY + " characters.");
        Instant now = clock.now();
        Optional<Instant> timedOut = chat.timedOutUntil(liveId, userId).filter(now::isBefore);
        if (timedOut.isPresent()) {
            throw new KinoraException(ErrorKind.FORBIDDEN, "timed_out", "You are timed out of this chat until " + timedOut.get() + ".",
                    Map.of("until", timedOut.get().toString()));
        }
        int slow = chat.slowMode(liveId);
        if (slow > 0 && !mayModerate(live, userId)) {
            Optional<Instant> last = chat.lastMessageAt(liveId, userId);
            if (last.isPresent() && last.get().plusSeconds(slow).isAfter(now)) {
                long wait = Math.max(1, Duration.between(now, last.get().plusSeconds(slow)).toSeconds() + 1);
                throw new KinoraException(ErrorKind.RATE_LIMITED, "slow_mode", "Slow mode is on: one message every " + slow
                        + " s; retry in " + wait + " s.", Map.of("retry_after_seconds", wait));
            }
        }
        limiter.acquire(userId);
        ChatMessage m = chat.insert(liveId, userId, text, now);
        topic.publish(new Event(liveId, "message", m.id(), userId, text, now.toString()));
        return m;
    }

    public List<ChatMessage> recent(String liveId, int limit) {
        live(liveId);
        return chat.recent(liveId, Math.max(1, Math.min(limit, 200)));
    }

    /** The chat of an ended (or running) live by offset from its start, for its replay. */
    public List<ChatMessage> replay(String liveId, long fromMs, int limit) {
        return chat.replay(liveId, Math.max(0, fromMs), Math.max(1, Math.min(limit, 1000)));
    }

    public void delete(String liveId, long messageId, String actorId) {
        LiveSession live = live(liveId);
        requireModerator(live, actorId);
        ChatMessage m = chat.find(messageId).filter(x -> x.liveId().equals(liveId)).orElseThrow(() -> KinoraException.notFound("Message"));
        if (m.isDeleted()) return;
        chat.delete(messageId, actorId, clock.now());
        topic.publish(new Event(liveId, "deleted", messageId, m.authorId(), null, clock.now().toString()));
    }

    public Instant timeout(String liveId, String userId, int seconds, String actorId) {
        LiveSession live = live(liveId);
        requireModerator(live, actorId);
        if (seconds < 1 || seconds > MAX_TIMEOUT.toSeconds()) {
            throw KinoraException.badRequest("invalid_seconds", "A timeout lasts 1 to " + MAX_TIMEOUT.toSeconds() + " seconds.");
        }
        if (userId == null || userId.equals(live.ownerId())) throw KinoraException.badRequest("invalid_user", "Name a viewer to time out (not the streamer).");
        Instant until = clock.now().plusSeconds(seconds);
        chat.timeout(liveId, userId, until);
        return until;
    }

    public void slowMode(String liveId, int seconds, String actorId) {
        LiveSession live = live(liveId);
        requireModerator(live, actorId);
        if (seconds < 0 || seconds > 3600) throw KinoraException.badRequest("invalid_seconds", "Slow mode is 0 (off) to 3600 seconds.");
        chat.setSlowMode(liveId, seconds);
    }

    public int slowMode(String liveId) {
        return chat.slowMode(liveId);
    }

    private LiveSession live(String liveId) {
        return lives.session(liveId).orElseThrow(() -> KinoraException.notFound("Live"));
    }

    private boolean mayModerate(LiveSession live, String userId) {
        return live.ownerId().equals(userId) || accounts.role(userId).canModerate();
    }

    private void requireModerator(LiveSession live, String userId) {
        if (!mayModerate(live, userId)) throw KinoraException.forbidden("Only the streamer and moderators moderate this chat.");
    }
}
