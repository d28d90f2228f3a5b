package org.kinora.core.live;

import java.time.Instant;

/**
 * One broadcast. {@code ingestUrl} is the HTTP base of the node that holds its live edge (API
 * nodes without it forward playlist and part requests there); {@code leaseUntil} is renewed by
 * that node while the live runs; {@code replayVideoId} is the video the recording became. An
 * {@code UPCOMING} live was scheduled ahead ({@code scheduledFor}) and has no node, lease or
 * start yet; the channel's next publish turns it into the live, keeping its id and so its page.
 */
public record LiveSession(String id, String ownerId, String title, State state, String ingestUrl, Instant leaseUntil,
                          String replayVideoId, Instant startedAt, Instant endedAt, String description, Instant scheduledFor,
                          String thumbnailFile) {
    public enum State {
        UPCOMING, LIVE, ENDED;

        public String wireName() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public boolean isLive() { return state == State.LIVE; }

    public boolean isUpcoming() { return state == State.UPCOMING; }
}
