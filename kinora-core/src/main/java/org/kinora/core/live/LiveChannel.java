package org.kinora.core.live;

import java.time.Instant;

/**
 * A channel's live settings: its stream key (the RTMP stream name, and the SRT passphrase), the
 * title of its next live, whether lives become replays, and its SRT port (null: SRT off).
 */
public record LiveChannel(String ownerId, String streamKey, String title, boolean replays, Instant createdAt, Instant updatedAt,
                          Integer srtPort) {}
