package org.kinora.core.search;

import java.time.Instant;
import java.util.List;

/**
 * What the search index holds about one publicly listed video. {@code channelName} is the
 * owner's username until channels get names of their own; {@code views} is the total known when
 * the document was built; {@code channelDisplayName} is the channel's own name ("Riff Academy");
 * {@code captions} is the caption text of every language and {@code chapters} the chapters typed
 * in Studio (description chapters are in the description); category and language are filters; {@code heat} is the trending heat at {@code heatAt}: the sum over the
 * views of the last 7 days of 0.5^(age in days), which keeps halving daily until new views come.
 */
public record SearchDocument(
        String videoId,
        String ownerId,
        String channelName,
        String title,
        String description,
        List<String> tags,
        Double durationSeconds,
        Instant publishedAt,
        long views,
        double heat,
        Instant heatAt,
        String channelDisplayName,
        String captions,
        String chapters,
        String category,
        String language) {

    public SearchDocument {
        tags = List.copyOf(tags);
    }

    /** A document without the issue-19 fields (channel display name, caption and chapter text, category, language). */
    public SearchDocument(String videoId, String ownerId, String channelName, String title, String description, List<String> tags,
                          Double durationSeconds, Instant publishedAt, long views, double heat, Instant heatAt) {
        this(videoId, ownerId, channelName, title, description, tags, durationSeconds, publishedAt, views, heat, heatAt,
                null, null, null, null, null);
    }
}
