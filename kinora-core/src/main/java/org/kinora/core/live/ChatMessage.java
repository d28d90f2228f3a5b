package org.kinora.core.live;

import java.time.Instant;

/**
 * A message in a live's chat; {@code deletedAt} set when the streamer or a moderator removed it;
 * {@code offsetMillis} from the live's start (where the replay shows it).
 */
public record ChatMessage(long id, String liveId, String authorId, String body, Instant createdAt, Instant deletedAt, long offsetMillis) {
    public boolean isDeleted() { return deletedAt != null; }
}
