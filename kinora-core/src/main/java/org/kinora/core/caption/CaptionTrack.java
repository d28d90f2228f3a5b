package org.kinora.core.caption;

import java.time.Instant;

/**
 * One language of captions of a video. {@code language} is a BCP 47 tag as {@link CaptionLanguage}
 * normalises it ("en", "pt-BR"); {@code label} is what the player's menu shows.
 */
public record CaptionTrack(String videoId, String language, String label, int cueCount, Instant updatedAt) {}
