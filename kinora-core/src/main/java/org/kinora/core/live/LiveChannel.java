package org.kinora.core.live;

import java.time.Instant;

/** A channel's live settings: its stream key (the RTMP stream name), the title of its next live, and whether lives become replays. */
public record LiveChannel(String ownerId, String streamKey, String title, boolean replays, Instant createdAt, Instant updatedAt) {}
