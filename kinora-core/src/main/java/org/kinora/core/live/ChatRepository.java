package org.kinora.core.live;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where live chat is kept. */
public interface ChatRepository {
    ChatMessage insert(String liveId, String authorId, String body, Instant at);

    /** The newest {@code limit} messages that are not deleted, oldest first. */
    List<ChatMessage> recent(String liveId, int limit);

    /** Messages not deleted at or after {@code fromMs} from the live's start, in the order they were written, for the replay. */
    List<ChatMessage> replay(String liveId, long fromMs, int limit);

    /**
     * The publisher was away from {@code from} to {@code to} and the recording skipped that time:
     * messages written meanwhile move to the moment of the drop, later ones back by the gap.
     */
    void collapseGap(String liveId, Instant from, Instant to);

    Optional<ChatMessage> find(long id);

    void delete(long id, String by, Instant at);

    /** When the author last wrote in this live's chat. */
    Optional<Instant> lastMessageAt(String liveId, String authorId);

    void timeout(String liveId, String userId, Instant until);

    Optional<Instant> timedOutUntil(String liveId, String userId);

    void setSlowMode(String liveId, int seconds);

    int slowMode(String liveId);
}
